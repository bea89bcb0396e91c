package io.outboundbridge.bench;

import io.outboundbridge.csv.CustomerCsvRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outboundbridge.task.AppendCustomersRequest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.PhoneGroupCustomer;
import io.outboundbridge.task.PhoneRelation;
import io.outboundbridge.task.Profile;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The naive baseline's one bean: turns a group of Bindy records into a create (every 20th group) or an append
 * body, and reads the vendor's answer. No validation, no duplicate check, no ledger: only what it takes for the
 * sandbox to accept the calls (digits-only phones, {@code 本人} for an empty relation1, at most 20,000 per task).
 */
public final class NaiveRequests {

    private static final String CREATE = "/speech/openapi/v1/task/outbound/create";
    private static final String APPEND = "/speech/openapi/v1/task/outbound/customer/append";
    private static final int GROUPS_PER_TASK = 20;

    private final Profile profile;
    private final ObjectMapper mapper = new ObjectMapper();

    public NaiveRequests(Profile profile) {
        this.profile = profile;
    }

    /** Where one file's calls stand: which group is next and the id of the task being filled. */
    public static final class Run {
        private final String base;
        private int groups;
        private int task;
        private Long taskId;
        private String path;

        Run(String base) {
            this.base = base;
        }

        public String getPath() {
            return path;
        }
    }

    public Run start(String fileBase) {
        String base = "naive-" + fileBase + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new Run(base.length() > 44 ? base.substring(0, 44) : base);
    }

    /** The whole list cut into groups of 1000 (views: nothing is copied). */
    @SuppressWarnings("unchecked")
    public List<List<CustomerCsvRecord>> groups(Object body) {
        // Bindy returns the record itself, not a list, for a one-row file
        List<CustomerCsvRecord> all = body instanceof List<?> list ? (List<CustomerCsvRecord>) list
                : List.of((CustomerCsvRecord) body);
        List<List<CustomerCsvRecord>> groups = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 1000) {
            groups.add(all.subList(from, Math.min(all.size(), from + 1000)));
        }
        return groups;
    }

    /** The body of the next call for {@code group}; sets the run's path. */
    public Object build(List<CustomerCsvRecord> group, Run run) {
        List<Customer> customers = new ArrayList<>(group.size());
        for (CustomerCsvRecord r : group) {
            List<PhoneRelation> relations = new ArrayList<>(3);
            relations.add(new PhoneRelation(digits(r.getMobile1()), empty(r.getRelation1()) ? "本人" : r.getRelation1()));
            if (!empty(r.getMobile2())) {
                relations.add(new PhoneRelation(digits(r.getMobile2()), r.getRelation2()));
            }
            if (!empty(r.getMobile3())) {
                relations.add(new PhoneRelation(digits(r.getMobile3()), r.getRelation3()));
            }
            customers.add(new Customer(r.getName(), r.getDesc(), r.getExternalCustomerId(), r.getExternalData(),
                    List.of(new PhoneGroupCustomer(profile.phoneGroupIdentify(), relations))));
        }
        if (run.groups++ % GROUPS_PER_TASK == 0) {
            run.task++;
            run.path = CREATE;
            return profile.createRequest(run.task == 1 ? run.base : run.base + "-" + run.task, customers,
                    LocalDate.now());
        }
        run.path = APPEND;
        return new AppendCustomersRequest(run.taskId, customers);
    }

    /** Reads the vendor's answer: anything but 10000 fails the file; a create's answer carries the task id. */
    public void answered(String body, Run run) throws IOException {
        JsonNode answer = mapper.readTree(body);
        if (!"10000".equals(answer.path("code").asText())) {
            throw new IllegalStateException("vendor answered " + body);
        }
        if (CREATE.equals(run.path)) {
            run.taskId = answer.path("data").asLong();
        }
    }

    private static String digits(String phone) {
        String d = phone.replaceAll("[^0-9]", "");
        return d.length() == 13 && d.startsWith("86") ? d.substring(2) : d;
    }

    private static boolean empty(String s) {
        return s == null || s.isBlank();
    }
}
