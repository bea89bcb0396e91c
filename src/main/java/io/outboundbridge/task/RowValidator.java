package io.outboundbridge.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Turns one CSV row into the vendor's {@link Customer} and lists the rules it breaks, by CSV column. The vendor's
 * field rules come from {@link VendorRules} (their JSON paths mapped back to columns); this class adds only what
 * the CSV layout decides: phone normalisation and pattern, {@code relation1} meaning the customer themself, and
 * a relation needing its number. Duplicate ids are the caller's concern ({@link DuplicateIdGuard}).
 */
public final class RowValidator {

    private static final List<String> COLUMNS = List.of("name", "desc", "externalCustomerId", "externalData",
            "mobile1", "relation1", "mobile2", "relation2", "mobile3", "relation3", "row");
    private static final String PATH = "customer";
    private static final String RELATIONS = PATH + ".phoneGroupVoList[0].relations[";

    private final PhoneNormalizer phones;
    private final String phoneGroupIdentify;

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
    }

    public RowResult validate(CustomerRow row) {
        String[] mobiles = {strip(row.mobile1()), strip(row.mobile2()), strip(row.mobile3())};
        String[] relations = {strip(row.relation1()), strip(row.relation2()), strip(row.relation3())};
        List<Violation> violations = new ArrayList<>();

        // relation index sent to the vendor -> CSV column number (1..3): mobile2 may be empty while mobile3 is not
        int[] columnOf = new int[3];
        List<PhoneRelation> sent = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            int column = i + 1;
            // decided on the normalised number, so a lone dash counts as no number
            String mobile = phones.normalize(mobiles[i]);
            boolean hasMobile = !isEmpty(mobile);
            if (i == 0 || hasMobile) {
                columnOf[sent.size()] = column;
                sent.add(new PhoneRelation(mobile, relationSent(i, relations[i])));
                if (hasMobile && !phones.isValid(mobile)) {
                    violations.add(new Violation("mobile" + column, "must be " + phones.describe() + " (found "
                            + Phones.mask(mobile) + ", " + VendorRules.length(mobile) + " characters)"));
                }
            } else if (!isEmpty(relations[i])) {
                violations.add(new Violation("relation" + column,
                        "a relation needs its number: mobile" + column + " is empty"));
            }
        }
        Customer customer = new Customer(strip(row.name()), strip(row.desc()), strip(row.externalCustomerId()),
                strip(row.externalData()), List.of(new PhoneGroupCustomer(phoneGroupIdentify, List.copyOf(sent))));

        for (String problem : VendorRules.checkCustomer(PATH, customer, Set.of(phoneGroupIdentify))) {
            violations.add(toViolation(problem, columnOf));
        }
        violations.sort(Comparator.comparingInt(v -> COLUMNS.indexOf(v.column())));
        return new RowResult(customer, violations);
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
