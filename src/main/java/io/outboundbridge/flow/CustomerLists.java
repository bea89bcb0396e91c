package io.outboundbridge.flow;

import io.outboundbridge.task.PhoneNormalizer;
import io.outboundbridge.task.Profile;
import io.outboundbridge.task.RowValidator;
import io.outboundbridge.task.TaskNames;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The steps of a list before sending: which profile it uses and its task name, reading and validating it,
 * and whether it may be sent at all.
 */
public final class CustomerLists {

    public static final String DEFAULT_PROFILE = "default";

    private final Map<String, Profile> profiles;
    private final PhoneNormalizer phones;
    private final ListInspector inspector;
    private final RejectPolicy policy;
    private final Path workRoot;
    private final Path processingRoot;
    private final Map<String, RowValidator> validators = new ConcurrentHashMap<>();

    public CustomerLists(Map<String, Profile> profiles, PhoneNormalizer phones, ListInspector inspector,
            RejectPolicy policy, Path workRoot, Path processingRoot) {
        this.profiles = Map.copyOf(profiles);
        this.phones = phones;
        this.inspector = inspector;
        this.policy = policy;
        this.workRoot = workRoot;
        this.processingRoot = processingRoot;
    }

    /** The list steps as the settings configure them; scratch files go to {@code workRoot}. */
    public static CustomerLists from(BridgeSettings settings, Map<String, Profile> profiles,
            com.fasterxml.jackson.databind.ObjectMapper mapper, Path workRoot, Path processingRoot) {
        return new CustomerLists(profiles, new PhoneNormalizer(settings.phonePattern()),
                new ListInspector(settings.charset(), mapper),
                new RejectPolicy(settings.rejectMode(), settings.maxInvalidRatio(), settings.batchSize()), workRoot,
                processingRoot);
    }

    /**
     * Starts the run of a list: {@code file} is where it waits in the processing folder (or its path relative to
     * the inbox); a list in {@code NAME/} uses profile NAME, one in the root uses {@code default}.
     */
    public FileRun start(String file) {
        Path path = Path.of(file);
        String relative = path.isAbsolute() && processingRoot != null && path.startsWith(processingRoot)
                ? processingRoot.relativize(path).toString() : file;
        String name = relative.replace('\\', '/');
        int slash = name.indexOf('/');
        String profileName = slash < 0 ? DEFAULT_PROFILE : name.substring(0, slash);
        String base = name.substring(name.lastIndexOf('/') + 1);
        String fileBase = TaskNames.fileBase(base);
        Profile profile = profiles.get(profileName);
        if (profile == null) {
            throw new ListFailedException("read", "no profile '" + profileName + "' for " + name
                    + " (expected " + profileName + ".properties in the profiles folder; known: "
                    + profiles.keySet() + ")");
        }
        String taskName = TaskNames.fit(TaskNames.fromTemplate(profile.taskNameTemplate(), profileName, fileBase));
        return new FileRun(name, profileName, profile, taskName, workRoot.resolve(UUID.randomUUID().toString()));
    }

    /** Reads and validates the whole list; invalid rows go to the rejects report. */
    public Inspection inspect(FileRun run, File file) {
        run.markStage("read");
        RowValidator validator = validators.computeIfAbsent(run.getProfileName(),
                p -> new RowValidator(phones, run.getProfile().phoneGroupIdentify()));
        Inspection result = inspector.inspect(file.toPath(), run.getFileName(), validator, run.getWorkDir());
        run.recordInspection(result);
        run.markStage("validate");
        return result;
    }

    /** Throws when the list must not be sent (reject policy, invalid ratio, nothing valid, task type limits). */
    public void admit(FileRun run) {
        policy.check(run.getInspection(), run.getProfile().taskType());
    }

    /** Removes the list's scratch files once its outcome is recorded (the list itself is never deleted). */
    public void cleanup(FileRun run) {
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
