package io.outboundbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.sandbox.Endpoint;
import io.outboundbridge.sandbox.SandboxSettings;
import io.outboundbridge.sandbox.SandboxVendor;
import io.outboundbridge.sign.RequestSigner;
import io.outboundbridge.sign.SignTemplate;
import io.outboundbridge.sign.SignedHeaders;
import io.outboundbridge.task.AppendCustomersRequest;
import io.outboundbridge.task.CreateTaskRequest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.ExecTime;
import io.outboundbridge.task.PhoneGroup;
import io.outboundbridge.task.PhoneGroupCustomer;
import io.outboundbridge.task.PhoneRelation;
import io.outboundbridge.task.VendorRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark, not a test: signed 1000-customer creates and appends posted one after another over loopback to a
 * {@link SandboxVendor} with every check on, timed at the client (round trip) and inside the sandbox (its own
 * handling, from {@link SandboxVendor#recentHandlingNanos()}).
 *
 * <p>Run: {@code mvn -o -q -Dexec.skip=true test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test}, then {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * io.outboundbridge.bench.SandboxBench [appends=500] [recordCustomers=false] [logCalls=false]}.
 */
public final class SandboxBench {

    private static final int PER_CALL = VendorRules.CUSTOMERS_PER_CALL_MAX;
    /** A task holds 20,000 customers: its create and 19 appends. */
    private static final int APPENDS_PER_TASK = VendorRules.CUSTOMERS_PER_TASK_MAX / PER_CALL - 1;
    private static final int WARM_UP_APPENDS = 300;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final SandboxVendor sandbox;
    private final RequestSigner signer;
    private final URI base;
    private int tasks;
    private int nextCustomer;

    private SandboxBench(SandboxVendor sandbox, RequestSigner signer) {
        this.sandbox = sandbox;
        this.signer = signer;
        this.base = sandbox.baseUrl();
    }

    public static void main(String[] args) throws Exception {
        int appends = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        boolean recordCustomers = args.length > 1 && Boolean.parseBoolean(args[1]);
        boolean logCalls = args.length > 2 && Boolean.parseBoolean(args[2]);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        SandboxSettings.Builder settings = SandboxSettings.builder().publicKey(keys.getPublic())
                .recordCustomers(recordCustomers).logCalls(logCalls);
        try (SandboxVendor sandbox = SandboxVendor.start(settings.build())) {
            RequestSigner signer = new RequestSigner(SandboxSettings.DEFAULT_APP_ID, keys.getPrivate(),
                    SignTemplate.DEFAULT, SandboxSettings.DEFAULT_ALGORITHM, Clock.systemUTC());
            SandboxBench bench = new SandboxBench(sandbox, signer);
            bench.run(WARM_UP_APPENDS, false);
            sandbox.reset();
            bench.run(appends, true);
            System.out.printf("settings: recordCustomers=%s logCalls=%s, %d customers per call%n", recordCustomers,
                    logCalls, PER_CALL);
        }
    }

    private void run(int appends, boolean print) throws Exception {
        List<Long> createRoundTrip = new ArrayList<>();
        List<Long> appendRoundTrip = new ArrayList<>();
        List<Long> signNanos = new ArrayList<>();
        List<Boolean> isAppend = new ArrayList<>();
        long taskId = -1;
        int appendsInTask = APPENDS_PER_TASK;
        for (int done = 0; done < appends;) {
            Object body;
            Endpoint endpoint;
            if (appendsInTask == APPENDS_PER_TASK) {
                endpoint = Endpoint.CREATE;
                body = create("bench-" + tasks++ + "-" + System.nanoTime());
            } else {
                endpoint = Endpoint.APPEND;
                body = new AppendCustomersRequest(taskId, customers());
            }
            byte[] bytes = json.writeValueAsBytes(body);
            long t0 = System.nanoTime();
            SignedHeaders h = signer.sign("POST", endpoint.path(), bytes);
            long t1 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(endpoint.path()))
                    .header("appId", h.appId()).header("timestamp", h.timestamp()).header("sign", h.sign())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
            long t2 = System.nanoTime();
            var answer = json.readTree(r.body());
            if (r.statusCode() != 200 || !"10000".equals(answer.path("code").asText())) {
                throw new IllegalStateException(endpoint + " refused: HTTP " + r.statusCode() + " " + answer);
            }
            signNanos.add(t1 - t0);
            isAppend.add(endpoint == Endpoint.APPEND);
            if (endpoint == Endpoint.CREATE) {
                taskId = answer.path("data").asLong();
                appendsInTask = 0;
                createRoundTrip.add(t2 - t1);
            } else {
                appendsInTask++;
                done++;
                appendRoundTrip.add(t2 - t1);
            }
        }
        if (!print) {
            return;
        }
        // a call's time is kept just after its answer is written: the last one may still be on its way
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (sandbox.recentHandlingNanos().length < isAppend.size() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long[] server = sandbox.recentHandlingNanos();
        long[] cpu = sandbox.recentHandlingCpuNanos();
        List<Long> serverCreate = new ArrayList<>();
        List<Long> serverAppend = new ArrayList<>();
        List<Long> cpuCreate = new ArrayList<>();
        List<Long> cpuAppend = new ArrayList<>();
        int offset = server.length - isAppend.size();
        for (int i = Math.max(0, -offset); i < isAppend.size(); i++) {
            (isAppend.get(i) ? serverAppend : serverCreate).add(server[offset + i]);
            (isAppend.get(i) ? cpuAppend : cpuCreate).add(cpu[offset + i]);
        }
        System.out.printf("appends: %d calls; round trip median %.2f ms, p90 %.2f ms; sandbox handling median %.2f ms,"
                + " p90 %.2f ms; sandbox CPU median %.2f ms%n", appendRoundTrip.size(), q(appendRoundTrip, .5),
                q(appendRoundTrip, .9), q(serverAppend, .5), q(serverAppend, .9), q(cpuAppend, .5));
        System.out.printf("creates: %d calls; round trip median %.2f ms, p90 %.2f ms; sandbox handling median %.2f ms,"
                + " p90 %.2f ms; sandbox CPU median %.2f ms%n", createRoundTrip.size(), q(createRoundTrip, .5),
                q(createRoundTrip, .9), q(serverCreate, .5), q(serverCreate, .9), q(cpuCreate, .5));
        System.out.printf("client signing: median %.2f ms; body %,d bytes%n", q(signNanos, .5),
                json.writeValueAsBytes(new AppendCustomersRequest(taskId, customers())).length);
    }

    private static double q(List<Long> nanos, double quantile) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }

    private CreateTaskRequest create(String name) {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        return new CreateTaskRequest(name, 1, today.toString(), today.plusDays(1).toString(),
                List.of(new ExecTime("09:00:00", "18:00:00")), "bench", "1462016331580064", "1070678044124225", false,
                0, null, 2, 45, 10, List.of(new PhoneGroup("本人", "default", 0, null, null)), customers());
    }

    /**
     * 1000 customers shaped like full real ones (about 410 bytes each as JSON): a Chinese name and description, a
     * long external id, external data, two or three numbers.
     */
    private List<Customer> customers() {
        List<Customer> list = new ArrayList<>(PER_CALL);
        for (int k = 0; k < PER_CALL; k++) {
            int i = nextCustomer++;
            List<PhoneRelation> relations = new ArrayList<>(3);
            relations.add(new PhoneRelation(Long.toString(13800000000L + i), "本人"));
            relations.add(new PhoneRelation(Long.toString(13900000000L + i), "配偶"));
            if (i % 2 == 0) {
                relations.add(new PhoneRelation("0755" + (10000000 + i % 9000000), "公司"));
            }
            list.add(new Customer("客户张三丰" + i, "VIP客户，上次通话于三月，需回访确认套餐变更及账单地址事宜，勿在午休时间致电。",
                    String.format("CRM-2024-CUSTOMER-%012d", i), String.format("{\"segment\":\"gold\",\"score\":%06d}", i % 1000000),
                    List.of(new PhoneGroupCustomer("default", relations))));
        }
        return list;
    }
}
