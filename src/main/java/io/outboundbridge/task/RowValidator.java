package io.outboundbridge.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Turns one CSV row into the vendor's {@link Customer} and lists the rules it breaks, by CSV column. The vendor's
 * field rules come from {@link VendorRules} (their JSON paths mapped back to columns); this class adds only what
 * the CSV layout decides: phone normalisation and pattern, {@code relation1} meaning the customer themself, and
 * a relation needing its number. Duplicate ids are the caller's concern (the reading package's duplicate id guard).
 */
public final class RowValidator {

    private static final List<String> COLUMNS = List.of("name", "desc", "externalCustomerId", "externalData",
            "mobile1", "relation1", "mobile2", "relation2", "mobile3", "relation3", "row");
    private static final String PATH = "customer";
    private static final String RELATIONS = PATH + ".phoneGroupVoList[0].relations[";

    private static final Comparator<Violation> IN_COLUMN_ORDER = Comparator.comparingInt(v -> COLUMNS.indexOf(v.column()));

    private final PhoneNormalizer phones;
    private final String phoneGroupIdentify;
    private final Set<String> identifies;

    /** @param phoneGroupIdentify the identify of the task's phone group, which every customer refers to */
    public RowValidator(PhoneNormalizer phones, String phoneGroupIdentify) {
        if (phones == null) {
            throw new IllegalArgumentException("phones is required");
        }
        if (phoneGroupIdentify == null || phoneGroupIdentify.isBlank()) {
            throw new IllegalArgumentException("phoneGroupIdentify is required");
        }
        this.phones = phones;
        this.phoneGroupIdentify = phoneGroupIdentify;
        this.identifies = Set.of(phoneGroupIdentify);
    }

    public RowResult validate(CustomerRow row) {
        // a valid row (nearly every row) allocates only what it returns: no message, no path, no sort
        List<Violation> violations = null;

        // relation index sent to the vendor -> CSV column number (1..3): mobile2 may be empty while mobile3 is not
        int[] columnOf = new int[3];
        PhoneRelation[] sent = new PhoneRelation[3];
        int sentCount = 0;
        for (int i = 0; i < 3; i++) {
            int column = i + 1;
            // decided on the normalised number, so a lone dash counts as no number
            String mobile = phones.normalize(strip(mobile(row, i)));
            String relation = strip(relation(row, i));
            boolean hasMobile = !isEmpty(mobile);
            if (i == 0 || hasMobile) {
                columnOf[sentCount] = column;
                sent[sentCount++] = new PhoneRelation(mobile, relationSent(i, relation));
                if (hasMobile && !phones.isValid(mobile)) {
                    violations = add(violations, new Violation("mobile" + column, "must be " + phones.describe()
                            + " (found " + Phones.mask(mobile) + ", " + VendorRules.length(mobile) + " characters)"));
                }
            } else if (!isEmpty(relation)) {
                violations = add(violations, new Violation("relation" + column,
                        "a relation needs its number: mobile" + column + " is empty"));
            }
        }
        List<PhoneRelation> relations = sentCount == 1 ? List.of(sent[0])
                : List.of(Arrays.copyOf(sent, sentCount));
        Customer customer = new Customer(strip(row.name()), strip(row.desc()), strip(row.externalCustomerId()),
                strip(row.externalData()), List.of(new PhoneGroupCustomer(phoneGroupIdentify, relations)));

        for (String problem : VendorRules.checkCustomer(PATH, customer, identifies)) {
            violations = add(violations, toViolation(problem, columnOf));
        }
        if (violations == null) {
            return new RowResult(customer, List.of());
        }
        violations.sort(IN_COLUMN_ORDER);
        return new RowResult(customer, violations);
    }

    private static List<Violation> add(List<Violation> violations, Violation v) {
        List<Violation> list = violations == null ? new ArrayList<>(4) : violations;
        list.add(v);
        return list;
    }

    private static String mobile(CustomerRow row, int i) {
        return i == 0 ? row.mobile1() : i == 1 ? row.mobile2() : row.mobile3();
    }

    private static String relation(CustomerRow row, int i) {
        return i == 0 ? row.relation1() : i == 1 ? row.relation2() : row.relation3();
    }

    /** An empty {@code relation1} means the customer themself; other empty relations are left out. */
    private static String relationSent(int index, String relation) {
        if (isEmpty(relation)) {
            return index == 0 ? VendorRules.SELF : null;
        }
        return relation;
    }

    /** Maps a {@link VendorRules} message ({@code customer.name: ...}) to the CSV column it is about. */
    private static Violation toViolation(String problem, int[] columnOf) {
        int colon = problem.indexOf(": ");
        String path = problem.substring(0, colon);
        String rule = problem.substring(colon + 2);
        String column = "row";
        if (path.startsWith(RELATIONS)) {
            int close = path.indexOf(']', RELATIONS.length());
            int index = Integer.parseInt(path.substring(RELATIONS.length(), close));
            String field = path.substring(close + 1);
            if (field.equals(".mobile")) {
                column = "mobile" + columnOf[index];
            } else if (field.equals(".relation")) {
                column = "relation" + columnOf[index];
            }
        } else if (path.startsWith(PATH + ".") && COLUMNS.contains(path.substring(PATH.length() + 1))) {
            column = path.substring(PATH.length() + 1);
        }
        return new Violation(column, column.equals("row") ? problem : rule);
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
