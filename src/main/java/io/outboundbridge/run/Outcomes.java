package io.outboundbridge.run;

import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListFailedException;
import io.outboundbridge.reading.ListInspector;
import io.outboundbridge.task.TaskNames;
import io.outboundbridge.vendor.VendorAnswer;
import io.outboundbridge.vendor.VendorCallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Names and contents of a list's outcome: the name it is filed under in the day folder (never overwriting an
 * earlier list of the same name) and its result or error report.
 */
public final class Outcomes {

    /**
     * The longest name a list is filed under, in bytes: file systems take 255, and its reports add up to 21
     * ({@code .writing-} and {@code .rejects.csv}).
     */
    static final int MAX_NAME_BYTES = 255 - 21;

    private final Clock clock;
    private final OutcomeFiles files;
    private final String instance;

    public Outcomes(Clock clock, OutcomeFiles files) {
        this(clock, files, null);
    }

    /** {@code instance}: this instance's id, named in every report as the instance that finished the list. */
    public Outcomes(Clock clock, OutcomeFiles files, String instance) {
        this.clock = clock;
        this.files = files;
        this.instance = instance;
    }

    /**
     * Files the outcome of a list, once: names it in the day folder of {@code archive} (a success, {@code failure}
     * null) or {@code error}, and writes its report and rejects report there. A success whose archive cannot take
     * them is filed in error instead, at stage {@code file}, with what the vendor holds; a list whose error folder
     * cannot take them either is left unfiled ({@link ListRun#getUnfiled()}): it stays in processing and is taken
     * again later, when nothing is sent again. Null when the outcome was filed before.
     */
    public OutcomeReport file(ListRun run, Throwable failure, String archive, String error) {
        String change = run.isOutcomeRecorded() || run.getInspection() == null ? null : run.changeSincePickUp();
        if (change != null && failure == null) {
            failure = new ListFailedException("read", run.getFileName() + " changed after it was read (" + change
                    + "): the vendor received the list as it was read (sha256 " + run.getInspection().sha256()
                    + ", the tasks below); what is filed here is the file as it is now. Send the rest as a new list");
        }
        OutcomeReport report = report(run, failure, archive, error);
        if (report != null && change != null) {
            report = report.withSha256(sha256(run.getListFile()));
        }
        if (report == null) {
            return null;
        }
        String archived = null;
        if (!run.isFiledAsFailed()) {
            try {
                files.write(run, report);
                return report;
            } catch (UncheckedIOException e) {
                archived = run.getOutcomeFolder() + " (" + reason(e) + ")";
                run.reopenOutcome();
                report = report(run, new ListFailedException("file", "the outcome could not be written in "
                        + archived + "; filed here instead. The vendor holds what the tasks below say"), archive,
                        error);
            }
        }
        try {
            files.write(run, report);
        } catch (UncheckedIOException e) {
            run.markUnfiled((archived == null ? "" : archived + " nor in ") + run.getOutcomeFolder() + " ("
                    + reason(e) + ")");
        }
        return report;
    }

    private static String sha256(Path file) {
        try {
            return ListInspector.sha256(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static String reason(UncheckedIOException e) {
        IOException cause = e.getCause();
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** A file name free in {@code folder}: list.csv, list-2.csv, ... */
    static String claimName(String fileName, Path folder) {
        String name = numbered(fileName, 1);
        for (int n = 2; taken(folder, name); n++) {
            name = numbered(fileName, n);
        }
        return name;
    }

    /**
     * The name to file a list under: a free one, or for a list recorded before a stop (its report written, the
     * list itself not yet moved) the name its report has, so the two end up side by side.
     */
    static String nameFor(ListRun run, Path folder, boolean failed) {
        String fileName = run.getFileName();
        if (run.isResumed() || run.getFinishedBefore() != null) {
            String report = failed ? ".error.json" : ".result.json";
            for (int n = 1; Files.exists(folder.resolve(numbered(fileName, n) + report)); n++) {
                if (!Files.exists(folder.resolve(numbered(fileName, n)))) {
                    return numbered(fileName, n);
                }
            }
        }
        return claimName(fileName, folder);
    }

    /**
     * The report of a list, with the name it is filed under: a success when {@code failure} is null, else its error
     * report. Null when its outcome was already recorded (a failure is seen again by each route it passes on the
     * way out). It is filed in the day folder of {@code archive} or {@code error}, as the route says.
     */
    OutcomeReport report(ListRun run, Throwable failure, String archive, String error) {
        if (run.isOutcomeRecorded()) {
            return null;
        }
        file(run, failure != null, archive, error);
        return failure == null ? success(run) : failure(run, failure);
    }

    /**
     * A list whose outcome was recorded before a stop kept it from being moved: it is filed beside its report; one
     * recorded as failed fails again, so the consumer moves it to the error folder.
     */
    public void recordedBefore(ListRun run, String archive, String error) {
        boolean failed = !"DONE".equals(run.getFinishedBefore());
        file(run, failed, archive, error);
        if (failed) {
            throw new ListFailedException(run + " was recorded as failed before the stop");
        }
    }

    private static void file(ListRun run, boolean failed, String archive, String error) {
        Path folder = Path.of(failed ? error : archive).resolve(run.getDay());
        run.fileAs(folder, nameFor(run, folder, failed), failed);
    }

    /** The file name of a list in a day folder: {@code list.csv}, then {@code list-2.csv}, {@code list-3.csv}, ... */
    static String numbered(String fileName, int n) {
        String base = fileName.substring(fileName.replace('\\', '/').lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        String stem = dot > 0 ? base.substring(0, dot) : base;
        String ext = dot > 0 ? base.substring(dot) : "";
        String number = n == 1 ? "" : "-" + n;
        if (utf8(base + number) <= MAX_NAME_BYTES) {
            return stem + number + ext;
        }
        // too long for its reports' names on the file system: shortened, with a hash of the whole name
        String hash = "~" + TaskNames.hash6(base);
        if (utf8(ext) > 16) {
            ext = "";
        }
        int room = MAX_NAME_BYTES - utf8(hash + number + ext);
        StringBuilder head = new StringBuilder();
        stem.codePoints().takeWhile(c -> utf8(head + Character.toString(c)) <= room).forEach(head::appendCodePoint);
        return head + hash + number + ext;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean taken(Path folder, String name) {
        return Files.exists(folder.resolve(name)) || Files.exists(folder.resolve(name + ".result.json"))
                || Files.exists(folder.resolve(name + ".error.json"));
    }

    /** The result report of a list that went through. */
    private OutcomeReport success(ListRun run) {
        Inspection i = run.getInspection();
        run.markOutcomeRecorded();
        return new OutcomeReport("archived", run.getFileName(), run.getStoredAs(), i.sha256(), run.getProfileName(),
                i.rows(), i.accepted(), i.rejected(), tasks(run), run.getCustomersSent(), null, null, null, null,
                null, run.getStarted().toString(), Instant.now(clock).toString(), instance);
    }

    /** The error report of a list that failed. */
    private OutcomeReport failure(ListRun run, Throwable failure) {
        Throwable cause = ours(failure);
        String stage = cause instanceof ListFailedException lf ? lf.stage() : run.getStage();
        VendorAnswer answer = cause instanceof VendorCallException || isVendorStage(stage)
                ? run.getLastAnswer() : null;
        String message = cause == null ? "unknown failure" : describe(cause);
        Boolean outcomeUnknown = null;
        if ("create".equals(stage) && run.isAnswerLost()) {
            outcomeUnknown = true;
            // an answer is lost only in the task that failed (ListRun.isAnswerLost)
            String task = run.getFailedTask().getTaskName();
            message = "outcome unknown: an attempt to create task " + task + " got no answer, so the vendor may "
                    + "have created it; look it up in the vendor console before sending this list again. Last: "
                    + message;
        }
        run.markOutcomeRecorded();
        Inspection i = run.getInspection();
        return new OutcomeReport("failed", run.getFileName(), run.getStoredAs(), i == null ? null : i.sha256(),
                run.getProfileName(), i == null ? null : i.rows(), i == null ? null : i.accepted(),
                i == null ? null : i.rejected(), tasks(run), run.getCustomersSent(), stage,
                answer == null ? null : answer.code(), answer == null ? null : answer.message(), message,
                outcomeUnknown, run.getStarted().toString(), Instant.now(clock).toString(), instance);
    }

    /** Our own exception inside Camel's wrappers (a bean that threw is wrapped), else the failure itself. */
    private static Throwable ours(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ListFailedException || t instanceof VendorCallException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure;
    }

    private static boolean isVendorStage(String stage) {
        return "create".equals(stage) || "append".equals(stage);
    }

    private static String describe(Throwable cause) {
        String text = cause.getMessage();
        if (text == null || text.isBlank()) {
            text = cause.getClass().getSimpleName();
        } else if (!(cause instanceof ListFailedException) && !(cause instanceof VendorCallException)) {
            text = cause.getClass().getSimpleName() + ": " + text;
        }
        return text;
    }

    private static List<OutcomeReport.TaskSummary> tasks(ListRun run) {
        return run.getTasks().stream()
                .map(t -> new OutcomeReport.TaskSummary(t.getTaskName(), t.getTaskId(), t.getCustomers(),
                        t.getRequests()))
                .toList();
    }
}
