import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Mantun client written the way the public Java clients of the real platform are (not a copy of one):
 * form posts with HttpURLConnection, the answer read as a JSON object whose string accessor turns any
 * value into text (fastjson's getString; here over Jackson), and success decided by string equality:
 * "true".equals(json.getString("success")) at authverify2.as, "0".equals(json.getString("code")) after.
 * The router sign is md5 of the values sorted by key plus the app secret; the timestamp is the JVM's local
 * time as yyyyMMddHHmmss.
 *
 * Usage: MantunClient <base-url> <app-key> <app-secret> <redirect-uri> <uname> <passwd> <command> [args]
 * Prints one JSON object with what the client concluded.
 */
public class MantunClient {
    static final ObjectMapper JSON = new ObjectMapper();

    static String post(String url, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (body.length() > 0) body.append('&');
            body.append(URLEncoder.encode(e.getKey(), "UTF-8")).append('=').append(URLEncoder.encode(e.getValue(), "UTF-8"));
        }
        HttpURLConnection conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
        try (OutputStream out = conn.getOutputStream()) {
            out.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        InputStream in = conn.getResponseCode() >= 400 ? conn.getErrorStream() : conn.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** fastjson's JSONObject.getString: null when absent, the text of a scalar, the JSON of anything else. */
    static String getString(JsonNode obj, String key) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) return null;
        return v.isValueNode() ? v.asText() : v.toString();
    }

    static String md5(String text) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8))) hex.append(String.format("%02x", b));
        return hex.toString();
    }

    public static void main(String[] args) throws Exception {
        String base = args[0], appKey = args[1], appSecret = args[2], redirectUri = args[3], uname = args[4], passwd = args[5], command = args[6];
        ObjectNode out = JSON.createObjectNode();

        Map<String, String> verify = new TreeMap<>();
        verify.put("response_type", "code");
        verify.put("client_id", appKey);
        verify.put("redirect_uri", redirectUri);
        verify.put("uname", uname);
        verify.put("passwd", passwd);
        JsonNode json = JSON.readTree(post(base + "/oauth/authverify2.as", verify));
        if (!"true".equals(getString(json, "success"))) {
            out.put("failedAt", "authverify2.as");
            out.set("answer", json);
            System.out.println(out);
            return;
        }
        String code = command.equals("bad-code") ? "0123456789abcdef0123456789abcdef" : getString(json, "code");
        Map<String, String> token = new TreeMap<>();
        token.put("client_id", appKey);
        token.put("client_secret", md5(appKey + "authorization_code" + redirectUri + code + appSecret));
        token.put("grant_type", "authorization_code");
        token.put("redirect_uri", redirectUri);
        token.put("code", code);
        JsonNode jsonToken = JSON.readTree(post(base + "/oauth/token.as", token));
        if (!"0".equals(getString(jsonToken, "code"))) {
            out.put("failedAt", "token.as");
            out.set("answer", jsonToken);
            System.out.println(out);
            return;
        }
        String accessToken = getString(jsonToken.get("data"), "accessToken");
        out.put("accessToken", accessToken);

        if (command.equals("realtime") || command.equals("unknown-box")) {
            Map<String, String> params = new TreeMap<>();
            params.put("client_id", appKey);
            params.put("method", "GET_BOX_CHANNELS_REALTIME");
            params.put("access_token", accessToken);
            params.put("timestamp", new SimpleDateFormat("yyyyMMddHHmmss").format(new Date()));
            params.put("projectCode", args[7]);
            params.put("mac", command.equals("unknown-box") ? "FFFF" : args[8]);
            StringBuilder signed = new StringBuilder();
            for (String value : params.values()) signed.append(value);
            params.put("sign", md5(signed + appSecret));
            JsonNode answer = JSON.readTree(post(base + "/invoke/router.as", params));
            if (!"0".equals(getString(answer, "code"))) {
                out.put("failedAt", "router.as");
                out.set("answer", answer);
            } else {
                SimpleDateFormat updated = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
                for (JsonNode channel : answer.get("data")) {
                    ObjectNode c = out.withArray("channels").addObject();
                    c.put("title", getString(channel, "title"));
                    c.put("oc", getString(channel, "oc"));
                    c.put("aW", channel.get("aW").asDouble());
                    c.put("updated", updated.parse(getString(channel, "updateTime")).getTime());
                }
            }
        }
        System.out.println(out);
    }
}
