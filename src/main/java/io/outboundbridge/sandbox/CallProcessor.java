package io.outboundbridge.sandbox;

import io.outboundbridge.task.AppendCustomersRequest;
import io.outboundbridge.task.CreateTaskRequest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.PhoneGroupCustomer;
import io.outboundbridge.task.PhoneRelation;
import io.outboundbridge.task.VendorRules;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * What the vendor does with one authentic-looking call, in the vendor's order: authentication, Content-Type,
 * strict JSON, field rules, digits-only mobiles, then the task book (unique name, known task, 20,000 limit).
 */
final class CallProcessor {

    /** The vendor is in China: "end date not yet past" is judged on its calendar. */
    static final ZoneId VENDOR_ZONE = ZoneId.of("Asia/Shanghai");

    private final SandboxSettings settings;
    private final Authenticator authenticator;
    private final TaskBook book;

    CallProcessor(SandboxSettings settings, TaskBook book) {
        this.settings = settings;
        this.authenticator = new Authenticator(settings);
        this.book = book;
    }

    /** The answer to one call and what it was about (for the log line). */
    record Outcome(SandboxAnswer answer, int customers, Long taskId) {
    }

    /** The call's request as the processor needs it: method, path, the three auth headers, Content-Type, body. */
    record Call(Endpoint endpoint, String method, String path, String appId, String timestamp, String sign,
            String contentType, byte[] body, java.util.Map<String, java.util.List<String>> headers) {
    }

    Outcome process(Call call) {
        SandboxAnswer refusal = authenticator.refusal(call.appId(), call.timestamp(), call.sign(), call.method(),
                call.path(), call.body());
        if (refusal != null) {
            return new Outcome(refusal, 0, null);
        }
        String contentTypeProblem = contentTypeProblem(call.contentType());
        if (contentTypeProblem != null) {
            return new Outcome(SandboxAnswer.parameterError(contentTypeProblem), 0, null);
        }
        try {
            return call.endpoint() == Endpoint.CREATE
                    ? create(StrictJson.read(call.body(), CreateTaskRequest.class))
                    : append(StrictJson.read(call.body(), AppendCustomersRequest.class));
        } catch (StrictJson.BadBody e) {
            return new Outcome(SandboxAnswer.parameterError(e.getMessage()), 0, null);
        }
    }

    private Outcome create(CreateTaskRequest r) {
        int n = size(r.outBoundCustomers());
        String problem = first(VendorRules.checkCreate(r));
        if (problem == null) {
            problem = mobileProblem(r.outBoundCustomers());
        }
        if (problem != null) {
            return new Outcome(SandboxAnswer.parameterError(problem), n, null);
        }
        SandboxAnswer answer = book.create(r);
        return new Outcome(answer, n, answer.data());
    }

    private Outcome append(AppendCustomersRequest r) {
        int n = size(r.outBoundCustomers());
        Long id = r.taskId();
        if (id == null) {
            return new Outcome(SandboxAnswer.parameterError("taskId: required"), n, null);
        }
        TaskBook.TaskInfo task = book.info(id).orElse(null);
        String problem;
        if (task == null) {
            problem = "taskId: unknown task " + id;
        } else if (Integer.valueOf(2).equals(task.taskType())) {
            problem = "taskAgents: required to append to a manual task (taskType 2)";
        } else if (ended(task.endDate())) {
            problem = "taskId: task " + id + " ended on " + task.endDate() + ", customers can no longer be appended";
        } else {
            problem = first(VendorRules.checkAppend(r, task.identifies()));
            if (problem == null) {
                problem = mobileProblem(r.outBoundCustomers());
            }
        }
        if (problem != null) {
            return new Outcome(SandboxAnswer.parameterError(problem), n, id);
        }
        return new Outcome(book.append(id, r.outBoundCustomers()), n, id);
    }

    private boolean ended(String endDate) {
        try {
            return LocalDate.parse(endDate).isBefore(LocalDate.now(settings.clock().withZone(VENDOR_ZONE)));
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
    }

    /** Our contract with the vendor: numbers are sent as digits only. Never echoes the number. */
    private static String mobileProblem(List<Customer> customers) {
        for (int i = 0; i < customers.size(); i++) {
            List<PhoneGroupCustomer> groups = customers.get(i).phoneGroupVoList();
            for (int g = 0; g < groups.size(); g++) {
                List<PhoneRelation> relations = groups.get(g).relations();
                for (int m = 0; m < relations.size(); m++) {
                    if (!digitsOnly(relations.get(m).mobile())) {
                        return "outBoundCustomers[" + i + "].phoneGroupVoList[" + g + "].relations[" + m
                                + "].mobile: digits only (no spaces, '+' or '-')";
                    }
                }
            }
        }
        return null;
    }

    /** What the regex {@code \d+} matches: one or more ASCII digits; checked by hand, 2,500 times a call. */
    private static boolean digitsOnly(String s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String contentTypeProblem(String contentType) {
        if (contentType == null) {
            return "Content-Type: must be application/json (header missing)";
        }
        String[] parts = contentType.split(";");
        boolean json = parts[0].trim().equalsIgnoreCase("application/json");
        for (int i = 1; i < parts.length && json; i++) {
            String[] param = parts[i].trim().split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2
                    && !param[1].trim().replace("\"", "").toUpperCase(Locale.ROOT).equals("UTF-8")) {
                return "Content-Type: charset must be UTF-8 (found '" + contentType + "')";
            }
        }
        return json ? null : "Content-Type: must be application/json (found '" + contentType + "')";
    }

    private static String first(List<String> problems) {
        return problems.isEmpty() ? null : problems.get(0);
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
