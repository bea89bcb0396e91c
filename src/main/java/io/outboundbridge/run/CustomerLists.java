package io.outboundbridge.run;

import io.outboundbridge.partner.PartnerDrop;
import io.outboundbridge.partner.PartnerInbox;
import io.outboundbridge.reading.Inspection;
import io.outboundbridge.reading.ListFailedException;
import io.outboundbridge.reading.ListInspector;
import io.outboundbridge.reading.RejectPolicy;
import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.RowValidator;
import io.outboundbridge.task.TaskNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The steps of a list before sending: its pick-up, which profile it uses and its task name, reading and
 * validating it, and whether it may be sent at all.
 */
public final class CustomerLists {

    public static final String DEFAULT_PROFILE = "default";

    private final Map<String, Profile> profiles;
    private final PhoneNormalizer phones;
    private final ListInspector inspector;
    private final RejectPolicy policy;
    private final Path workRoot;
    private final Path processingRoot;
    private final Clock clock;
    private final Map<String, RowValidator> validators = new ConcurrentHashMap<>();

    public CustomerLists(Map<String, Profile> profiles, PhoneNormalizer phones, ListInspector inspector,
            RejectPolicy policy, Path workRoot, Path processingRoot, Clock clock) {
        this.profiles = Map.copyOf(profiles);
        this.phones = phones;
        this.inspector = inspector;
        this.policy = policy;
        this.workRoot = workRoot;
        this.processingRoot = processingRoot;
        this.clock = clock;
    }

    /**
     * Starts the run of a list dropped in the local inbox: {@code file} is where it waits in the processing folder;
     * its name relative to the inbox ({@code vip/list.csv}) says its profile.
     */
    public ListRun pickUp(String file) {
        Path path = Path.of(file);
        String relative = path.isAbsolute() && processingRoot != null && path.startsWith(processingRoot)
                ? processingRoot.relativize(path).toString() : file;
        return start(relative, path, null);
    }

    /** Starts the run of a list taken from a partner's SFTP inbox, read from its local {@code download}. */
    public ListRun pickUp(PartnerDrop drop, String download) {
        return start(drop.fileName(), Path.of(download), drop.inbox());
    }

    /** Starts the run of list {@code file} as if it were {@code inboxName} in the inbox (the validate command). */
    public ListRun pickUpAs(String inboxName, Path file) {
        return start(inboxName, file, null);
    }

    private ListRun start(String relative, Path listFile, PartnerInbox partner) {
        String day = LocalDate.now(clock).toString();
        ListRun run = new ListRun(relative.replace('\\', '/'), day, listFile, partner,
                workRoot.resolve(UUID.randomUUID().toString()));
        try {
            run.markPickedUp(Files.size(listFile), Files.getLastModifiedTime(listFile).toMillis());
        } catch (IOException e) {
            // not readable: the inspection says so
        }
        return run;
    }

    /**
     * The profile of a list: one in {@code NAME/} uses profile NAME, one in the root uses {@code default}; its task
     * name comes from the profile's template.
     */
    private void assignProfile(ListRun run) {
        String name = run.getFileName();
        int slash = name.indexOf('/');
        String profileName = slash < 0 ? DEFAULT_PROFILE : name.substring(0, slash);
        Profile profile = profiles.get(profileName);
        if (profile == null) {
            throw new ListFailedException("read", "no profile '" + profileName + "' for " + name
                    + " (expected " + profileName + ".properties in the profiles folder; known: "
                    + profiles.keySet() + ")");
        }
        String fileBase = TaskNames.fileBase(name.substring(name.lastIndexOf('/') + 1));
        run.assignProfile(profileName, profile,
                TaskNames.fit(TaskNames.fromTemplate(profile.taskNameTemplate(), profileName, fileBase)));
    }

    /** Reads and validates the whole list; invalid rows go to the rejects report. */
    public Inspection inspect(ListRun run) {
        run.markStage("read");
        assignProfile(run);
        RowValidator validator = validators.computeIfAbsent(run.getProfileName(),
                p -> new RowValidator(phones, run.getProfile().phoneGroupIdentify()));
        ownerOnly(run.getWorkDir());
        Inspection result = inspector.inspect(run.getListFile(), run.getFileName(), validator, run.getWorkDir());
        run.recordInspection(result);
        String change = run.changeSincePickUp();
        if (change != null) {
            throw new ListFailedException("read", run.getFileName() + " changed while it was read (" + change
                    + "): someone is still writing it. Nothing was sent; drop it again once it is complete (upload "
                    + "it under a temporary name and rename it when done)");
        }
        run.markStage("validate");
        return result;
    }

    /**
     * The list's scratch folder, and the work folder above it, made owner-only whatever the umask: the spool and
     * the id files hold customers' phone numbers in clear.
     */
    private static void ownerOnly(Path workDir) {
        try {
            Files.createDirectories(workDir);
            if (Files.getFileStore(workDir).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
                Files.setPosixFilePermissions(workDir.getParent(), owner);
                Files.setPosixFilePermissions(workDir, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the work folder " + workDir + ": " + e, e);
        }
    }

    /** Throws when the list must not be sent (reject policy, invalid ratio, nothing valid, task type limits). */
    public void admit(ListRun run) {
        policy.check(run.getInspection(), run.getProfile().taskType());
    }

    /** Removes the list's scratch files once its outcome is recorded (the list itself is never deleted). */
    public void cleanup(ListRun run) {
        Path dir = run == null ? null : run.getWorkDir();
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot clean up " + dir + ": " + e.getMessage(), e);
        }
    }
}
