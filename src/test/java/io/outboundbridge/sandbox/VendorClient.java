package io.outboundbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignedHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A real HTTP client for the sandbox: signs each call with {@link RequestSigner} like the product does. */
final class VendorClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final RequestSigner signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    VendorClient(URI base, RequestSigner signer) {
        this.base = base;
        this.signer = signer;
    }

    /** The vendor's answer: HTTP status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        String code() {
            return json().get("code").asText();
        }

        String message() {
            return json().get("message").asText();
        }

        JsonNode data() {
            return json().get("data");
        }
    }

    Answer post(Endpoint endpoint, Object body) throws IOException, InterruptedException {
        return post(endpoint.path(), bytes(body), "application/json");
    }

    Answer post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(path, body, contentType, signer.sign("POST", path, body)),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    CompletableFuture<Answer> postAsync(Endpoint endpoint, Object body) {
        byte[] bytes = bytes(body);
        return http.sendAsync(request(endpoint.path(), bytes, "application/json",
                signer.sign("POST", endpoint.path(), bytes)), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body()));
    }

    HttpRequest request(String path, byte[] body, String contentType, SignedHeaders h) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("appId", h.appId())
                .header("timestamp", h.timestamp())
                .header("sign", h.sign())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    HttpClient http() {
        return http;
    }

    static byte[] bytes(Object body) {
        try {
            return body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
