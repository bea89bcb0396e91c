package io.outboundbridge.bench;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListInspector;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignedHeaders;
import io.outboundbridge.task.AppendCustomersRequest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.RowValidator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The sandbox's own answer time for a 1000-customer call, measured from a plain client loop: the same bodies the
 * service sends (the same customers through {@link ListInspector}, the same Jackson defaults, the profile's create),
 * signed beforehand, POSTed one after another with Apache HttpClient 5 classic (the client camel-http uses) over a
 * kept-alive connection; the time is from {@code execute} to the answer read. It includes loopback transfer and the
 * client's write of the body (about 0.25 ms for 410 KB), so what is subtracted from the service's time per call is
 * slightly more than the sandbox's handling alone: the service's own time is, if anything, under-estimated by that.
 */
final class SandboxProbe {

    /** Mean and median round trip in ms, and the mean body size in bytes. */
    record Result(int calls, double meanMs, double medianMs, double p90Ms, long meanBodyBytes) {
    }

    private final URI base;
    private final RequestSigner signer;
    private final Profile profile;
    private final List<List<Customer>> batches = new ArrayList<>();
    private final ObjectMapper mapper = new ObjectMapper();

    /** Builds 20 batches of 1000 customers from a generated 20,000-row list, as the service would send them. */
    SandboxProbe(URI base, RequestSigner signer, Profile profile, String phonePattern, Path work) throws IOException {
        this.base = base;
        this.signer = signer;
        this.profile = profile;
        Path file = work.resolve("probe.csv");
        BenchRows.write(file, 20_000, "probe");
        Inspection inspection = new ListInspector(StandardCharsets.UTF_8, mapper).inspect(file, "probe.csv",
                new RowValidator(new PhoneNormalizer(phonePattern), profile.phoneGroupIdentify()), work.resolve("spool"));
        List<Customer> batch = new ArrayList<>(1000);
        try (MappingIterator<Customer> customers = mapper.readerFor(Customer.class).readValues(inspection.spool().toFile())) {
            while (customers.hasNext()) {
                batch.add(customers.next());
                if (batch.size() == 1000) {
                    batches.add(batch);
                    batch = new ArrayList<>(1000);
                }
            }
        }
    }

    /** {@code tasks} tasks of 20 calls each (one create, 19 appends), the mix of a 20,000-customer list. */
    Result run(int tasks) throws IOException {
        List<Double> times = new ArrayList<>();
        long bytes = 0;
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            for (int t = 0; t < tasks; t++) {
                long taskId = 0;
                for (int b = 0; b < batches.size(); b++) {
                    boolean create = b == 0;
                    Object request = create
                            ? profile.createRequest("probe-" + UUID.randomUUID().toString().substring(0, 18),
                                    batches.get(b), LocalDate.now())
                            : new AppendCustomersRequest(taskId, batches.get(b));
                    String path = create ? "/speech/openapi/v1/task/outbound/create"
                            : "/speech/openapi/v1/task/outbound/customer/append";
                    byte[] body = mapper.writeValueAsBytes(request);
                    SignedHeaders signed = signer.sign("POST", path, body);
                    HttpPost post = new HttpPost(base.resolve(path));
                    post.setHeader("appId", signed.appId());
                    post.setHeader("timestamp", signed.timestamp());
                    post.setHeader("sign", signed.sign());
                    post.setEntity(new ByteArrayEntity(body, ContentType.create("application/json", StandardCharsets.UTF_8)));
                    long start = System.nanoTime();
                    String answer = client.execute(post, response -> EntityUtils.toString(response.getEntity()));
                    times.add((System.nanoTime() - start) / 1e6);
                    bytes += body.length;
                    var json = mapper.readTree(answer);
                    if (!"10000".equals(json.path("code").asText())) {
                        throw new IllegalStateException("sandbox refused the probe: " + answer);
                    }
                    if (create) {
                        taskId = json.path("data").asLong();
                    }
                }
            }
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0);
        return new Result(sorted.length, mean, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
                bytes / sorted.length);
    }
}
