package io.outboundbridge.task;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every field rule of the vendor's create and append calls (SPEC.md), in one place: the row validator, the
 * profile check at start-up and the sandbox vendor all use these. Each problem is a message that starts with
 * the field's JSON path, e.g. {@code outBoundCustomers[2].name: at most 20 characters (found 21)}.
 * Lengths are counted in Unicode code points.
 */
public final class VendorRules {

    public static final int TASK_NAME_MAX = 50;
    public static final int CUSTOMERS_PER_CALL_MAX = 1000;
    public static final int CUSTOMERS_PER_TASK_MAX = 20_000;
    public static final int CUSTOMER_NAME_MAX = 20;
    public static final int CUSTOMER_DESC_MAX = 200;
    public static final int EXTERNAL_ID_MAX = 64;
    public static final int EXTERNAL_DATA_MAX = 40;
    public static final int RELATIONS_MAX = 3;
    /** The relation that marks the customer themself. */
    public static final String SELF = "本人";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    private VendorRules() {
    }

    /** All problems of a create call's body; empty when the vendor would accept it. */
    public static List<String> checkCreate(CreateTaskRequest r) {
        List<String> p = new ArrayList<>();
        checkTaskFields(r, p);
        Set<String> identifies = r.outboundPhoneGroups() == null ? Set.of()
                : r.outboundPhoneGroups().stream().filter(Objects::nonNull).map(PhoneGroup::identify).filter(i -> i != null)
                        .collect(Collectors.toSet());
        checkCustomers(r.outBoundCustomers(), identifies, p);
        return p;
    }

    /** The task-level fields of a create call only (no customers): what a profile decides. */
    public static List<String> checkTaskFields(CreateTaskRequest r) {
        List<String> p = new ArrayList<>();
        checkTaskFields(r, p);
        return p;
    }

    /**
     * All problems of an append call's body.
     *
     * @param identifies the phone-group identifies of the task appended to
     */
    public static List<String> checkAppend(AppendCustomersRequest r, Set<String> identifies) {
        List<String> p = new ArrayList<>();
        if (r.taskId() == null) {
            p.add("taskId: required");
        }
        checkCustomers(r.outBoundCustomers(), identifies, p);
        return p;
    }

    /** All problems of one customer; {@code path} prefixes each message (e.g. {@code outBoundCustomers[3]}). */
    public static List<String> checkCustomer(String path, Customer c, Set<String> identifies) {
        if (customerOk(c, identifies)) {
            return List.of();
        }
        List<String> p = new ArrayList<>();
        checkCustomer(path, c, identifies, p);
        return p;
    }

    private static void checkTaskFields(CreateTaskRequest r, List<String> p) {
        String name = r.taskName();
        if (blank(name)) {
            p.add("taskName: required");
        } else if (length(name) > TASK_NAME_MAX) {
            p.add("taskName: length must be 1.." + TASK_NAME_MAX + " (found " + length(name) + ")");
        }
        if (r.taskType() == null) {
            p.add("taskType: required");
        } else if (r.taskType() != 1 && r.taskType() != 2) {
            p.add("taskType: must be 1 (automatic) or 2 (manual) (found " + r.taskType() + ")");
        }
        LocalDate start = date("taskExecStartDate", r.taskExecStartDate(), p);
        LocalDate end = date("taskExecEndDate", r.taskExecEndDate(), p);
        if (start != null && end != null && end.isBefore(start)) {
            p.add("taskExecEndDate: must not be before taskExecStartDate (" + r.taskExecEndDate() + " < "
                    + r.taskExecStartDate() + ")");
        }
        List<ExecTime> times = r.taskExecTimes();
        if (times == null || times.isEmpty()) {
            p.add("taskExecTimes: at least one dialing window required");
        } else {
            for (int i = 0; i < times.size(); i++) {
                ExecTime t = times.get(i);
                String at = "taskExecTimes[" + i + "]";
                if (t == null) {
                    p.add(at + ": required");
                    continue;
                }
                LocalTime from = time(at + ".taskExecTimeStartStr", t.taskExecTimeStartStr(), p);
                LocalTime to = time(at + ".taskExecTimeEndStr", t.taskExecTimeEndStr(), p);
                if (from != null && to != null && !from.isBefore(to)) {
                    p.add(at + ": start must be before end (" + t.taskExecTimeStartStr() + "-"
                            + t.taskExecTimeEndStr() + ")");
                }
            }
        }
        if (blank(r.skillSetId())) {
            p.add("skillSetId: required");
        }
        if (blank(r.outboundNumberGroupId())) {
            p.add("outboundNumberGroupId: required");
        }
        if (r.strategyDisplaySwitch() == null) {
            p.add("strategyDisplaySwitch: required (true or false)");
        }
        Integer strategy = r.sendNumberStrategy();
        if (strategy == null) {
            p.add("sendNumberStrategy: required");
        } else if (strategy == 0) {
            if (r.multiplyPower() == null) {
                p.add("multiplyPower: required when sendNumberStrategy is 0");
            } else if (r.multiplyPower() <= 0) {
                p.add("multiplyPower: must be greater than 0 (found " + r.multiplyPower() + ")");
            }
        } else if (strategy == 1) {
            if (r.abandonmentRate() == null) {
                p.add("abandonmentRate: required when sendNumberStrategy is 1");
            } else {
                range("abandonmentRate", r.abandonmentRate(), 1, 5, p);
            }
        } else {
            p.add("sendNumberStrategy: must be 0 (multiplier) or 1 (predictive) (found " + strategy + ")");
        }
        if (r.maxRingingDuration() == null) {
            p.add("maxRingingDuration: required");
        } else {
            range("maxRingingDuration", r.maxRingingDuration(), 20, 50, p);
        }
        if (r.acw() == null) {
            p.add("acw: required");
        } else {
            range("acw", r.acw(), 1, 180, p);
        }
        List<PhoneGroup> groups = r.outboundPhoneGroups();
        if (groups == null || groups.size() != 1) {
            p.add("outboundPhoneGroups: exactly one phone group is supported (found "
                    + (groups == null ? 0 : groups.size()) + ")");
        }
        if (groups != null) {
            for (int i = 0; i < groups.size(); i++) {
                checkPhoneGroup("outboundPhoneGroups[" + i + "]", groups.get(i), p);
            }
        }
    }

    private static void checkPhoneGroup(String at, PhoneGroup g, List<String> p) {
        if (g == null) {
            p.add(at + ": required");
            return;
        }
        if (blank(g.name())) {
            p.add(at + ".name: required");
        }
        if (blank(g.identify())) {
            p.add(at + ".identify: required");
        }
        Integer sw = g.autoOutboundSwitch();
        if (sw == null) {
            p.add(at + ".autoOutboundSwitch: required");
        } else if (sw != 0 && sw != 1) {
            p.add(at + ".autoOutboundSwitch: must be 0 (off) or 1 (on) (found " + sw + ")");
        } else if (sw == 1) {
            if (g.autoOutboundInterval() == null) {
                p.add(at + ".autoOutboundInterval: required when autoOutboundSwitch is 1");
            } else {
                range(at + ".autoOutboundInterval", g.autoOutboundInterval(), 5, 2880, p);
            }
            if (g.autoOutboundTimes() == null) {
                p.add(at + ".autoOutboundTimes: required when autoOutboundSwitch is 1");
            } else {
                range(at + ".autoOutboundTimes", g.autoOutboundTimes(), 1, 3, p);
            }
        }
    }

    private static void checkCustomers(List<Customer> customers, Set<String> identifies, List<String> p) {
        if (customers == null || customers.isEmpty()) {
            p.add("outBoundCustomers: at least one customer required");
            return;
        }
        if (customers.size() > CUSTOMERS_PER_CALL_MAX) {
            p.add("outBoundCustomers: at most " + CUSTOMERS_PER_CALL_MAX + " customers per call (found "
                    + customers.size() + ")");
        }
        for (int i = 0; i < customers.size(); i++) {
            Customer c = customers.get(i);
            if (!customerOk(c, identifies)) {
                checkCustomer("outBoundCustomers[" + i + "]", c, identifies, p);
            }
        }
    }

    /**
     * Whether {@link #checkCustomer(String, Customer, Set, List)} would find nothing: the same rules, asked without
     * building a field path or a message, so a valid customer (nearly all of them) costs no string at all. Only a
     * customer failing here is checked again with messages. Keep the two in step.
     */
    private static boolean customerOk(Customer c, Set<String> identifies) {
        if (c == null
                || !requiredWithin(c.name(), CUSTOMER_NAME_MAX)
                || !within(c.desc(), CUSTOMER_DESC_MAX)
                || !requiredWithin(c.externalCustomerId(), EXTERNAL_ID_MAX)
                || !within(c.externalData(), EXTERNAL_DATA_MAX)) {
            return false;
        }
        List<PhoneGroupCustomer> groups = c.phoneGroupVoList();
        if (groups == null || groups.isEmpty()) {
            return false;
        }
        for (int g = 0; g < groups.size(); g++) {
            PhoneGroupCustomer group = groups.get(g);
            if (group == null || blank(group.phoneGroupIdentify())
                    || !identifies.contains(group.phoneGroupIdentify())) {
                return false;
            }
            List<PhoneRelation> relations = group.relations();
            if (relations == null || relations.isEmpty() || relations.size() > RELATIONS_MAX) {
                return false;
            }
            for (int i = 0; i < relations.size(); i++) {
                PhoneRelation rel = relations.get(i);
                if (rel == null || blank(rel.mobile())) {
                    return false;
                }
            }
            String first = relations.get(0).relation();
            if (!blank(first) && !SELF.equals(first)) {
                return false;
            }
        }
        return true;
    }

    private static boolean requiredWithin(String value, int max) {
        return !blank(value) && within(value, max);
    }

    /** At most {@code max} code points; a string no longer than that in chars needs no counting. */
    private static boolean within(String value, int max) {
        return value == null || value.length() <= max || length(value) <= max;
    }

    private static void checkCustomer(String at, Customer c, Set<String> identifies, List<String> p) {
        if (c == null) {
            p.add(at + ": required");
            return;
        }
        requiredMax(at + ".name", c.name(), CUSTOMER_NAME_MAX, p);
        max(at + ".desc", c.desc(), CUSTOMER_DESC_MAX, p);
        requiredMax(at + ".externalCustomerId", c.externalCustomerId(), EXTERNAL_ID_MAX, p);
        max(at + ".externalData", c.externalData(), EXTERNAL_DATA_MAX, p);
        List<PhoneGroupCustomer> groups = c.phoneGroupVoList();
        if (groups == null || groups.isEmpty()) {
            p.add(at + ".phoneGroupVoList: required");
            return;
        }
        for (int g = 0; g < groups.size(); g++) {
            String gat = at + ".phoneGroupVoList[" + g + "]";
            PhoneGroupCustomer group = groups.get(g);
            if (group == null) {
                p.add(gat + ": required");
                continue;
            }
            if (blank(group.phoneGroupIdentify())) {
                p.add(gat + ".phoneGroupIdentify: required");
            } else if (!identifies.contains(group.phoneGroupIdentify())) {
                p.add(gat + ".phoneGroupIdentify: must equal the identify of a phone group of the task (found '"
                        + group.phoneGroupIdentify() + "', expected one of " + identifies + ")");
            }
            List<PhoneRelation> relations = group.relations();
            if (relations == null || relations.isEmpty() || relations.size() > RELATIONS_MAX) {
                p.add(gat + ".relations: 1.." + RELATIONS_MAX + " numbers (found "
                        + (relations == null ? 0 : relations.size()) + ")");
                continue;
            }
            for (int i = 0; i < relations.size(); i++) {
                PhoneRelation rel = relations.get(i);
                String rat = gat + ".relations[" + i + "]";
                if (rel == null || blank(rel.mobile())) {
                    p.add(rat + ".mobile: required");
                }
            }
            PhoneRelation first = relations.get(0);
            if (first != null && !blank(first.relation()) && !SELF.equals(first.relation())) {
                p.add(gat + ".relations[0].relation: the first number must be the customer themself ("
                        + SELF + ")");
            }
        }
    }

    /** Length in characters (code points), as the vendor counts. */
    public static int length(String s) {
        return s == null ? 0 : s.codePointCount(0, s.length());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void requiredMax(String field, String value, int max, List<String> p) {
        if (blank(value)) {
            p.add(field + ": required");
        } else {
            max(field, value, max, p);
        }
    }

    private static void max(String field, String value, int max, List<String> p) {
        int n = length(value);
        if (n > max) {
            p.add(field + ": at most " + max + " characters (found " + n + ")");
        }
    }

    private static void range(String field, int value, int min, int max, List<String> p) {
        if (value < min || value > max) {
            p.add(field + ": must be " + min + ".." + max + " (found " + value + ")");
        }
    }

    private static LocalDate date(String field, String value, List<String> p) {
        if (blank(value)) {
            p.add(field + ": required (yyyy-MM-dd)");
            return null;
        }
        try {
            return LocalDate.parse(value, DATE);
        } catch (DateTimeParseException e) {
            p.add(field + ": must be a date yyyy-MM-dd (found '" + value + "')");
            return null;
        }
    }

    private static LocalTime time(String field, String value, List<String> p) {
        if (blank(value)) {
            p.add(field + ": required (HH:mm:ss)");
            return null;
        }
        try {
            return LocalTime.parse(value, TIME);
        } catch (DateTimeParseException e) {
            p.add(field + ": must be a time HH:mm:ss (found '" + value + "')");
            return null;
        }
    }
}
