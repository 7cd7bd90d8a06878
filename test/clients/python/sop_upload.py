"""A call to the SOP gateway made the way the official SOP Python SDK makes it (sop-sdk/sdk-python, not a copy).

OpenClient._build_params: app_id, method, charset UTF-8, sign_type RSA2, timestamp from time.localtime()
(the machine's local time), version, biz_content = json.dumps of the business model; SignUtil: the params
sorted by name, empty values left out, k=v joined with &, SHA256withRSA with the rsa package and a PKCS#1
key, Base64. With files, OpenClient._post_file posts requests' multipart body (data= the params, files= the
open files); without, a form post. The answer is read with json.loads and the node taken by its key.

Usage: sop_upload.py <gateway-url> <app-id> <pkcs1-private-key-base64> <method> <biz-json> [field=path ...]
Prints one JSON object: the HTTP status, the response key and node, and the request's Content-Type.
"""
import base64
import json
import sys
import time

import requests
import rsa


def sign_content(params):
    return '&'.join(k + '=' + str(params[k]) for k in sorted(params) if len(str(params[k])) > 0)


def create_sign(params, private_key_b64):
    pem = '-----BEGIN RSA PRIVATE KEY-----\n' + private_key_b64 + '\n-----END RSA PRIVATE KEY-----'
    key = rsa.PrivateKey.load_pkcs1(pem.encode('utf-8'))
    return base64.b64encode(rsa.sign(sign_content(params).encode('utf-8'), key, 'SHA-256')).decode('ascii')


def main():
    url, app_id, private_key, method, biz = sys.argv[1:6]
    files = {}
    for spec in sys.argv[6:]:
        field, path = spec.split('=', 1)
        files[field] = open(path, 'rb')
    params = {
        'app_id': app_id,
        'method': method,
        'charset': 'UTF-8',
        'sign_type': 'RSA2',
        'timestamp': time.strftime('%Y-%m-%d %H:%M:%S', time.localtime()),
        'version': '1.0',
        'biz_content': json.dumps(json.loads(biz)),
    }
    params['sign'] = create_sign(params, private_key)
    headers = {'Accept-Encoding': 'identity'}
    if files:
        resp = requests.request('POST', url, data=params, files=files, headers=headers)
    else:
        resp = requests.post(url, data=params, headers=headers)
    for f in files.values():
        f.close()
    body = json.loads(resp.text)
    key = method.replace('.', '_') + '_response'
    if key not in body:
        key = 'error_response'
    print(json.dumps({'status': resp.status_code, 'key': key, 'node': body.get(key), 'signed': 'sign' in body,
                      'contentType': resp.request.headers.get('Content-Type', '').split(';')[0]}, ensure_ascii=False))


if __name__ == '__main__':
    main()
