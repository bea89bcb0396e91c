package io.outboundbridge.task;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named set of task-level fields of the create call ({@code config/profiles/NAME.properties}); files dropped
 * for this profile become tasks made with these fields. Dates are expressions ({@code yyyy-MM-dd}, {@code today}
 * or {@code today+N}) resolved when a request is made. {@link ProfileLoader} checks a profile before it is used.
 *
 * @param multiplyPower   sent when set; required by the vendor when {@code sendNumberStrategy} is 0
 * @param abandonmentRate sent when set; required by the vendor when {@code sendNumberStrategy} is 1
 */
public record Profile(
        String name,
        Integer taskType,
        String taskExecStartDate,
        String taskExecEndDate,
        List<ExecTime> taskExecTimes,
        String taskDesc,
        String skillSetId,
        String outboundNumberGroupId,
        boolean strategyDisplaySwitch,
        Integer sendNumberStrategy,
        Integer multiplyPower,
        Integer abandonmentRate,
        int maxRingingDuration,
        int acw,
        PhoneGroup phoneGroup,
        String taskNameTemplate) {

    public static final int DEFAULT_MAX_RINGING_DURATION = 45;
    public static final int DEFAULT_ACW = 10;
    public static final String DEFAULT_TASK_NAME_TEMPLATE = TaskNames.PROFILE + "-" + TaskNames.FILE_BASE;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern TODAY = Pattern.compile("today(?:\\s*\\+\\s*(\\d{1,5}))?");

    /** A null template means the default {@code ${profile}-${fileBase}}. */
    public Profile {
        taskExecTimes = taskExecTimes == null ? List.of() : List.copyOf(taskExecTimes);
        taskNameTemplate = taskNameTemplate == null ? DEFAULT_TASK_NAME_TEMPLATE : taskNameTemplate;
    }

    /**
     * The create call's body for a task of this profile.
     *
     * @param taskName  the task's name, used as given (see {@link TaskNames})
     * @param customers the customers of the create call (at most 1000), or null for a body without them
     * @param today     the day {@code today} means, in the deployment's time zone
     * @throws IllegalArgumentException when a date expression is not valid
     */
    public CreateTaskRequest createRequest(String taskName, List<Customer> customers, LocalDate today) {
        return new CreateTaskRequest(taskName, taskType,
                format(resolveDate(taskExecStartDate, today)), format(resolveDate(taskExecEndDate, today)),
                taskExecTimes, taskDesc, skillSetId, outboundNumberGroupId, strategyDisplaySwitch,
                sendNumberStrategy, abandonmentRate, multiplyPower, maxRingingDuration, acw,
                phoneGroup == null ? null : List.of(phoneGroup), customers == null ? null : List.copyOf(customers));
    }

    /**
     * The end date of a task created on {@code createdOn} ({@code taskExecEndDate} resolved then), null when the
     * profile sets none: after it the vendor takes no more customers for the task.
     */
    public LocalDate endDate(LocalDate createdOn) {
        return resolveDate(taskExecEndDate, createdOn);
    }

    /** The identify of the profile's phone group, which every customer refers to. */
    public String phoneGroupIdentify() {
        return phoneGroup == null ? null : phoneGroup.identify();
    }

    /**
     * Resolves {@code yyyy-MM-dd}, {@code today} or {@code today+N}; null stays null.
     *
     * @throws IllegalArgumentException naming the expected forms when {@code expression} is none of them
     */
    static LocalDate resolveDate(String expression, LocalDate today) {
        if (expression == null) {
            return null;
        }
        String e = expression.strip();
        Matcher m = TODAY.matcher(e);
        if (m.matches()) {
            return m.group(1) == null ? today : today.plusDays(Long.parseLong(m.group(1)));
        }
        try {
            return LocalDate.parse(e, DATE);
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("must be yyyy-MM-dd, today or today+N (found '" + expression + "')",
                    ex);
        }
    }

    private static String format(LocalDate date) {
        return date == null ? null : DATE.format(date);
    }
}
