"""A Mantun (曼顿) open-platform client written the way public Python clients of the real platform are.

It is not a copy of any of them; it reproduces what they do on the wire and, above all, how they read the
answers: a requests AuthBase that fetches a code and a token and signs every router.as call (sign = md5 of
the values sorted by name + appSecret, timestamp from datetime.now(), the machine's local time, blank
params dropped by parse_qs), success decided with Python truthiness (`not body.get('success') or not
body.get('code')`), resource answers with `resp['code'] != '0'`, channels read by key (`channel['aW']`),
hourly energy iterated as an object whose keys go through int(), alarms compared with `typeNumber == 9`.

Usage: mantun_client.py <base-url> <app-key> <app-secret> <redirect-uri> <uname> <passwd> <command> [args]
Prints one JSON object: what the client parsed, or the exception it raised.
"""
import json
import sys
from datetime import datetime, timedelta
from hashlib import md5
from urllib.parse import parse_qs, urljoin

import requests
from requests.auth import AuthBase


class MantunAuthError(Exception):
    pass


class MantunAuth(AuthBase):
    def __init__(self, base_url, app_key, app_secret, redirect_uri, uname, passwd):
        self.base_url = base_url.rstrip('/') + '/'
        self.app_key, self.app_secret, self.redirect_uri = app_key, app_secret, redirect_uri
        self.uname, self.passwd = uname, passwd
        self.token = None

    @staticmethod
    def check(resp):
        # The public clients' test: a 200 whose body has a truthy success and a truthy code.
        if resp.status_code != 200:
            raise MantunAuthError(str(resp.status_code))
        body = resp.json()
        if not body or not body.get('success') or not body.get('code'):
            raise MantunAuthError('unexpected body: ' + resp.text)
        return body

    def obtain_code(self):
        resp = requests.post(urljoin(self.base_url, 'oauth/authverify2.as'), allow_redirects=False, data={
            'response_type': 'code', 'client_id': self.app_key, 'redirect_uri': self.redirect_uri,
            'uname': self.uname, 'passwd': self.passwd})
        return self.check(resp)['code']

    def secret_for(self, grant_type, credential):
        return md5((self.app_key + grant_type + self.redirect_uri + credential + self.app_secret).encode('utf-8')).hexdigest()

    def obtain_token(self, code):
        data = {'client_id': self.app_key, 'grant_type': 'authorization_code', 'redirect_uri': self.redirect_uri, 'code': code,
                'client_secret': self.secret_for('authorization_code', code)}
        body = self.check(requests.post(urljoin(self.base_url, 'oauth/token.as'), allow_redirects=False, data=data))
        token = body['data']
        token['expire_at'] = datetime.utcnow() + timedelta(seconds=token['expiresIn'])
        return token

    def refresh(self):
        rt = self.token['refreshToken']
        data = {'client_id': self.app_key, 'grant_type': 'refresh_token', 'redirect_uri': self.redirect_uri, 'refresh_token': rt,
                'client_secret': self.secret_for('refresh_token', rt)}
        body = self.check(requests.post(urljoin(self.base_url, 'oauth/refresh.as'), allow_redirects=False, data=data))
        self.token = body['data']
        return self.token

    def sign(self, pairs):
        return md5((''.join(v for _, v in sorted(pairs, key=lambda p: p[0])) + self.app_secret).encode('utf-8')).hexdigest()

    def __call__(self, req):
        if self.token is None:
            self.token = self.obtain_token(self.obtain_code())
        data = parse_qs(str(req.body))
        data.setdefault('client_id', [self.app_key])
        data.setdefault('access_token', [self.token['accessToken']])
        data.setdefault('timestamp', [datetime.now().strftime('%Y%m%d%H%M%S')])
        data['sign'] = [self.sign((k, v[0]) for k, v in data.items())]
        req.prepare_body(data, None, None)
        return req


def router(session, base_url, body):
    return session.post(base_url.rstrip('/') + '/invoke/router.as', data=body).json()


def main():
    base_url, app_key, app_secret, redirect_uri, uname, passwd, command = sys.argv[1:8]
    args = sys.argv[8:]
    auth = MantunAuth(base_url, app_key, app_secret, redirect_uri, uname, passwd)
    session = requests.Session()
    session.auth = auth
    out = {}
    try:
        if command == 'code':
            out['code'] = auth.obtain_code()
        elif command == 'token':
            token = auth.obtain_token(args[0] if args else auth.obtain_code())
            out['token'] = {k: token[k] for k in ('accessToken', 'refreshToken', 'expiresIn')}
        elif command == 'refresh':
            auth.token = auth.obtain_token(auth.obtain_code())
            auth.token['refreshToken'] = args[0] if args else auth.token['refreshToken']
            out['refreshed'] = sorted(auth.refresh().keys())
        elif command == 'read':
            project, mac, year, month, day = args[:5]
            end = args[5] if len(args) > 5 else datetime.now().strftime('%Y-%m-%d %H:%M')
            box = {'projectCode': project, 'mac': mac}
            realtime = router(session, base_url, dict(box, method='GET_BOX_CHANNELS_REALTIME'))
            if realtime['code'] != '0':
                raise MantunAuthError('realtime failed: ' + json.dumps(realtime, ensure_ascii=False))
            out['realtime'] = [{'addr': c['addr'], 'mac': c['mac'], 'aW': c['aW'], 'gW': c['gW'], 'oc': c['oc'], 'power': c['power'],
                                'updated': int(datetime.strptime(c['updateTime'], '%Y-%m-%d %H:%M:%S').timestamp())}
                               for c in realtime['data']]
            out['oc'] = router(session, base_url, dict(box, method='GET_BOX_CHANNELS_OC'))['data'][0]['oc']
            hours = router(session, base_url, dict(box, method='GET_BOX_HOUR_POWER', year=int(year), month=int(month), day=int(day)))
            out['hours'] = {}
            for time_range in hours['data']:
                hour = int(time_range)
                out['hours'][hour] = {entry['addr']: entry['electricity'] for entry in hours['data'][time_range]}
            daily = router(session, base_url, dict(box, method='GET_BOX_DAY_POWER', year=int(year), month=int(month), day=int(day)))
            out['day'] = {entry['addr']: entry['electricity'] for entry in daily['data']}
            monthly = router(session, base_url, dict(box, method='GET_BOX_MON_POWER', year=int(year), month=int(month)))
            out['month'] = {entry['addr']: entry['electricity'] for entry in monthly['data']}
            # A client sends start empty: parse_qs drops it, so the platform sees end alone.
            alarms = router(session, base_url, dict(box, method='GET_BOX_ALARM', start='', end=end))
            kept = []
            for entry in alarms['data']['datas']:
                if entry['typeNumber'] == 9:
                    continue
                kept.append({'id': entry['auto_id'], 'addr': entry['addr'], 'node': entry['node'], 'type': entry['type'], 'code': entry['typeNumber'],
                             'at': datetime.strptime(entry['time'], '%Y-%m-%d %H:%M').isoformat(), 'info': entry['info']})
            out['alarms'] = kept
        elif command == 'switch':
            project, mac, value1, value2 = args[:4]
            resp = router(session, base_url, {'method': 'PUT_BOX_CONTROL', 'projectCode': project, 'mac': mac, 'cmd': 'OCSWITCH', 'value1': value1, 'value2': value2})
            out['switched'] = resp['code'] == '0'
            out['message'] = resp.get('message')
        elif command == 'call':
            resp = router(session, base_url, json.loads(args[0]))
            out['ok'] = resp['code'] == '0'
            out['answer'] = resp
        else:
            raise SystemExit('unknown command ' + command)
    except MantunAuthError as e:
        out['error'] = 'MantunAuthError: ' + str(e)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == '__main__':
    main()
