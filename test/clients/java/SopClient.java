import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.FormBody;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call to the SOP gateway made the way the official SOP Java SDK makes it (sop-sdk/sdk-java; not a copy):
 *
 * - the form: app_id, method, format json, charset UTF-8, sign_type RSA2, timestamp "yyyy-MM-dd HH:mm:ss"
 *   in the JVM's zone, version, biz_content; signed like SopSignature: non-empty params sorted by key, k=v
 *   joined with &, SHA256withRSA with the app's PKCS#8 key, Base64;
 * - with files, OpenHttp.requestFile: an OkHttp MultipartBody, each file added with its field name, file
 *   name and RequestBody.create(null, bytes), then every form field; without, an OkHttp FormBody;
 * - the answer read as OpenClient.parseResponse does: the node under "<method with . → _>_response" (or
 *   "error_response"), and when the answer carries a sign, the node's text cut out of the body between the
 *   key and the first "sign" (buildJsonNodeData) and checked with the platform public key.
 *
 * Usage: SopClient <gateway-url> <app-id> <app-private-key-b64> <platform-public-key-b64> <method> <biz-json> [field=path ...]
 * Prints one JSON object: the HTTP status, the response key, the node, whether a sign came and whether it verified.
 */
public class SopClient {
    static final ObjectMapper JSON = new ObjectMapper();

    static String signContent(Map<String, String> form) {
        List<String> keys = new ArrayList<>(form.keySet());
        Collections.sort(keys);
        StringBuilder content = new StringBuilder();
        for (String key : keys) {
            String value = form.get(key);
            if (key.isEmpty() || value == null || value.isEmpty()) continue;
            content.append(content.length() == 0 ? "" : "&").append(key).append('=').append(value);
        }
        return content.toString();
    }

    static String rsa2Sign(String content, String privateKeyB64) throws Exception {
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKeyB64)));
        Signature signature = Signature.getInstance("SHA256WithRSA");
        signature.initSign(key);
        signature.update(content.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    static boolean rsa2Check(String content, String sign, String publicKeyB64) throws Exception {
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyB64)));
        Signature signature = Signature.getInstance("SHA256WithRSA");
        signature.initVerify(key);
        signature.update(content.getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(sign));
    }

    /** The SDK's cut: from two characters after the node name (past `":`) to just before `,"sign"`. */
    static String nodeText(String body, String rootNodeName) {
        int indexOfRootNode = body.indexOf(rootNodeName);
        if (indexOfRootNode < 0) return null;
        int start = indexOfRootNode + rootNodeName.length() + 2;
        int indexOfSign = body.indexOf("\"sign\"");
        if (indexOfSign < 0) return null;
        return body.substring(start, indexOfSign - 1);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], appId = args[1], privateKey = args[2], platformPublicKey = args[3], method = args[4], biz = args[5];
        Map<String, String> form = new HashMap<>();
        form.put("method", method);
        form.put("format", "json");
        form.put("charset", "UTF-8");
        form.put("sign_type", "RSA2");
        form.put("timestamp", new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new java.util.Date()));
        form.put("version", "1.0");
        form.put("biz_content", biz);
        form.put("app_id", appId);
        form.put("sign", rsa2Sign(signContent(form), privateKey));

        RequestBody body;
        if (args.length > 6) {
            MultipartBody.Builder builder = new MultipartBody.Builder().setType(MultipartBody.FORM);
            for (int i = 6; i < args.length; i++) {
                String[] spec = args[i].split("=", 2);
                Path path = Path.of(spec[1]);
                builder.addFormDataPart(spec[0], path.getFileName().toString(), RequestBody.create(null, Files.readAllBytes(path)));
            }
            for (Map.Entry<String, String> e : form.entrySet()) builder.addFormDataPart(e.getKey(), e.getValue());
            body = builder.build();
        } else {
            FormBody.Builder builder = new FormBody.Builder(StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : form.entrySet()) builder.add(e.getKey(), e.getValue());
            body = builder.build();
        }
        OkHttpClient http = new OkHttpClient();
        ObjectNode out = JSON.createObjectNode();
        try (Response response = http.newCall(new Request.Builder().url(url).post(body).build()).execute()) {
            String text = response.body().string();
            out.put("status", response.code());
            JsonNode json = JSON.readTree(text);
            String root = method.replace('.', '_') + "_response";
            if (json.has("error_response")) root = "error_response";
            out.put("key", root);
            out.set("node", json.get(root));
            JsonNode sign = json.get("sign");
            out.put("signed", sign != null);
            if (sign != null) {
                String cut = nodeText(text, root);
                out.put("signValid", cut != null && rsa2Check(cut, sign.asText(), platformPublicKey));
            }
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        System.out.println(out);
    }
}
