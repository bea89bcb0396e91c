package io.outboundbridge.support;

import io.outboundbridge.ledger.LedgerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Several packaged-jar instances on one ledger and the same folders (or SFTP inbox), as issue 14 runs them: each
 * with its own {@code bridge.instance.id}, work and data folders, started side by side (a start takes seconds).
 * {@link #close} stops every one still running.
 */
public final class BridgeInstances implements AutoCloseable {

    private final Path dir;
    private final Path routes;
    private final Map<String, String> shared;
    private final BridgeLogsOnFailure logs;
    private final Map<String, BridgeProcess> running = new java.util.LinkedHashMap<>();

    /**
     * @param dir    where each instance gets {@code ID/} (working directory and log, work and data folders)
     * @param shared the settings every instance has (folders, sandbox, inbox URI...); the ledger is added
     */
    public BridgeInstances(Path dir, Map<String, String> shared, LedgerSettings ledger, BridgeLogsOnFailure logs) {
        this.dir = dir;
        this.routes = InProcessBridge.repo().resolve("routes");
        this.shared = new HashMap<>(shared);
        this.shared.put("bridge.ledger.url", ledger.url());
        this.shared.put("bridge.ledger.user", ledger.user());
        this.shared.put("bridge.ledger.password", ledger.password());
        this.logs = logs;
    }

    /** Starts the instances named {@code ids} side by side and waits until each is ready. */
    public List<BridgeProcess> start(String... ids) {
        List<CompletableFuture<BridgeProcess>> starting = new ArrayList<>();
        for (String id : ids) {
            Map<String, String> settings = new HashMap<>(shared);
            settings.put("bridge.instance.id", id);
            settings.put("bridge.work", dir.resolve(id).resolve("work").toString());
            settings.put("bridge.data", dir.resolve(id).resolve("data").toString());
            starting.add(CompletableFuture.supplyAsync(() -> logs.watch(
                    BridgeProcess.start(dir.resolve(id), routes, settings))));
        }
        List<BridgeProcess> started = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            BridgeProcess p = starting.get(i).join();
            running.put(ids[i], p);
            started.add(p);
        }
        return started;
    }

    public BridgeProcess get(String id) {
        return running.get(id);
    }

    /** The instance whose log says it picked up list {@code fileName}, if one did. */
    public java.util.Optional<String> pickedUp(String fileName) {
        return running.entrySet().stream().filter(e -> e.getValue().log().contains("Picked up list " + fileName))
                .map(Map.Entry::getKey).findFirst();
    }

    /** Kills instance {@code id} with SIGKILL and forgets it. */
    public void kill(String id) {
        BridgeProcess p = running.remove(id);
        p.kill();
        p.close();
    }

    public Map<String, BridgeProcess> running() {
        return running;
    }

    @Override
    public void close() {
        running.values().forEach(BridgeProcess::close);
        running.clear();
    }
}
