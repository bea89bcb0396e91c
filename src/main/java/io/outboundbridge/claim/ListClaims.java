package io.outboundbridge.claim;

import io.outboundbridge.ledger.Ledger;
import io.outboundbridge.ledger.LedgerException;
import io.outboundbridge.ledger.ListClaim;
import io.outboundbridge.ledger.Renewal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which lists this instance works on, held in the ledger so that every list is taken by exactly one instance: the
 * inbox consumers' read lock ({@code readLock=idempotent-changed}, {@code idempotentRepository=#listClaims}) adds a
 * list's claim before it is moved to processing and removes it once the list is filed or put back. A claim holds for
 * {@code bridge.instance.lease} and is renewed by {@link ClaimHeartbeat} with the leases of the runs in flight here;
 * one not renewed in time is lost, and {@link #lost} tells the run before each request.
 *
 * <p>A claim's key is the list's name in its inbox ({@code vip/list.csv}); for a partner's SFTP inbox
 * {@code sftp:PARTNER:vip/list.csv} ({@link #key}). Camel passes a local list's absolute path, in the inbox when it
 * adds it and in processing when it removes it: both are the same name here.
 */
public final class ListClaims extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ListClaims.class);

    private final Ledger ledger;
    private final String instance;
    private final long leaseNanos;
    private final Path inbox;
    private final Path processing;
    /** The lists in flight here, by key: their claim's fence and when it was last renewed. */
    private final Map<String, Held> lists = new ConcurrentHashMap<>();
    /** The runs in flight here, by ledger id. */
    private final Map<Long, Held> runs = new ConcurrentHashMap<>();

    /**
     * @param inbox      the local inbox folder (absolute)
     * @param processing the local processing folder (absolute)
     */
    public ListClaims(Ledger ledger, String instance, long leaseMillis, Path inbox, Path processing) {
        this.ledger = ledger;
        this.instance = instance;
        this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
        this.inbox = inbox;
        this.processing = processing;
    }

    /** The key of a partner's list ({@code partner} null: a local list): its name in its inbox. */
    public static String key(String partner, String name) {
        String n = name.replace('\\', '/');
        return partner == null ? n : "sftp:" + partner + ":" + n;
    }

    /** This instance's id. */
    public String instance() {
        return instance;
    }

    /**
     * The key of what Camel names a list by: a path in the local inbox or processing folder is its name there;
     * anything else is its own key.
     */
    public String keyOf(String camelKey) {
        Path path;
        try {
            path = Path.of(camelKey);
        } catch (java.nio.file.InvalidPathException e) {
            return camelKey;
        }
        if (!path.isAbsolute()) {
            return camelKey;
        }
        path = path.normalize();
        // processing first: it may lie inside the inbox
        for (Path root : new Path[] {processing, inbox}) {
            if (root != null && path.startsWith(root) && !path.equals(root)) {
                return key(null, root.relativize(path).toString());
            }
        }
        return camelKey;
    }

    /**
     * Takes the list's claim: atomically in the ledger, one no instance holds, or whose lease lapsed, or one held
     * under this instance's own id while no list of that name is in flight here (put back by this instance, or left
     * by an earlier process with this id). False when another instance holds it, a list of that name is in flight
     * here, or the ledger cannot be reached (the list waits).
     */
    @Override
    public boolean add(String camelKey) {
        String key = keyOf(camelKey);
        Held pending = new Held(-1, System.nanoTime());
        Held before = lists.putIfAbsent(key, pending);
        if (before != null) {
            return abandoned(key, before);
        }
        try {
            OptionalLong fence = ledger.claimList(key, true);
            if (fence.isPresent()) {
                lists.put(key, new Held(fence.getAsLong(), pending.renewed));
                LOG.debug("{} claimed {} (fence {})", instance, key, fence.getAsLong());
                return true;
            }
        } catch (LedgerException e) {
            LOG.debug("cannot claim {} now: {}", key, e.getMessage());
        }
        lists.remove(key, pending);
        return false;
    }

    /**
     * Whether a local list this instance claimed was abandoned by the file consumer before its run began: Camel's
     * idempotent-changed read lock keeps its claim when it cannot move the list to processing (an immutable file),
     * so the claim is still ours and the list may be tried again. A list in processing, or whose run began here, is
     * in flight: not taken twice.
     */
    private boolean abandoned(String key, Held held) {
        if (held.fence < 0 || held.taken || processing == null || key.startsWith("sftp:")) {
            return false;
        }
        return !java.nio.file.Files.exists(processing.resolve(key));
    }

    /** The run of list {@code key} began here: it is in flight until its claim is released. */
    public void taken(String key) {
        Held held = lists.get(key);
        if (held != null) {
            held.taken = true;
        }
    }

    @Override
    public boolean contains(String camelKey) {
        return lists.containsKey(keyOf(camelKey));
    }

    /** Releases the list's claim: it is filed, or back in the inbox for any instance to take. */
    @Override
    public boolean remove(String camelKey) {
        String key = keyOf(camelKey);
        Held held = lists.remove(key);
        if (held == null) {
            return false;
        }
        try {
            ledger.releaseList(key);
        } catch (LedgerException e) {
            LOG.warn("Could not release the claim on {} ({}): it lapses after bridge.instance.lease", key,
                    e.getMessage());
        }
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Nothing to clear: claims are released one by one as their lists leave, or lapse. */
    @Override
    public void clear() {
        // claims live in the ledger
    }

    /** The fence of this instance's claim on a list in flight here, or empty. */
    public OptionalLong fence(String key) {
        Held h = lists.get(key);
        return h == null || h.fence < 0 ? OptionalLong.empty() : OptionalLong.of(h.fence);
    }

    /** The run {@code id} is in flight here under {@code fence}: the heartbeat renews its lease. */
    public void holdRun(long id, long fence) {
        runs.put(id, new Held(fence, System.nanoTime()));
    }

    /** Whether the run {@code id} is in flight here. */
    public boolean holdsRun(long id) {
        return runs.containsKey(id);
    }

    /** The run {@code id} ended here (or stopped): its lease is no longer renewed. */
    public void releaseRun(long id) {
        runs.remove(id);
    }

    /**
     * Whether this instance lost the list {@code key} or its run {@code runId} (null: none yet): another instance
     * took it, or its last successful renewal started more than a lease ago (by this process's monotonic clock: the
     * process was paused or the database cut off). A lost list sends nothing more.
     */
    public boolean lost(String key, Long runId) {
        long now = System.nanoTime();
        Held list = lists.get(key);
        Held run = runId == null ? null : runs.get(runId);
        return list != null && list.lostAt(now, leaseNanos) || run != null && run.lostAt(now, leaseNanos);
    }

    /**
     * One heartbeat: renews, in one transaction, the claims and run leases held here and this instance's row. What
     * was not renewed is lost from now on; the rest counts as renewed when this renewal started.
     */
    public void renew() {
        long started = System.nanoTime();
        Map<String, Long> keys = new HashMap<>();
        lists.forEach((k, h) -> {
            if (h.fence >= 0 && !h.lost) {
                keys.put(k, h.fence);
            }
        });
        Map<Long, Long> ids = new HashMap<>();
        runs.forEach((id, h) -> {
            if (!h.lost) {
                ids.put(id, h.fence);
            }
        });
        Renewal renewal = ledger.renew(keys, ids);
        keys.keySet().forEach(k -> renewed(lists.get(k), renewal.lostKeys().contains(k), started, k));
        ids.keySet().forEach(id -> renewed(runs.get(id), renewal.lostRuns().contains(id), started, "run " + id));
    }

    private void renewed(Held h, boolean lost, long started, String what) {
        if (h == null) {
            return;
        }
        if (lost) {
            h.lost = true;
            LOG.warn("{} lost its claim on {}: another instance holds it now; nothing more is sent for it here",
                    instance, what);
        } else if (started - h.renewed > 0) {
            h.renewed = started;
        }
    }

    /**
     * Claims a list this instance does not have in flight, for the take-over of a list left in processing: true when
     * no one held it or its claim lapsed (the caller puts it back in the inbox). The claim is not renewed: this
     * instance takes it again at once (its own id), any other once it lapses.
     */
    public boolean claimLapsed(String key) {
        if (lists.containsKey(key)) {
            return false;
        }
        return ledger.claimList(key, true).isPresent();
    }

    /** The instance that holds the list's claim and has renewed it within the lease, if it is not this one. */
    public Optional<String> heldElsewhere(String key) {
        try {
            return ledger.listClaim(key).filter(c -> !c.lapsed() && !c.instance().equals(instance))
                    .map(ListClaim::instance);
        } catch (LedgerException e) {
            // unknown: the caller leaves the list where it is
            return Optional.of("(the ledger cannot say: " + e.getMessage() + ")");
        }
    }

    /** The keys in flight here. */
    public java.util.Set<String> inFlight() {
        return java.util.Set.copyOf(lists.keySet());
    }

    @Override
    protected void doStart() {
        // the claims live in the ledger, opened and closed with the context
    }

    @Override
    protected void doStop() {
        // in-flight lists release their claims as they complete; the rest lapse
    }

    /** A claim or run lease held here: its fence, when it was last renewed, and whether it was lost. */
    private static final class Held {
        final long fence;
        volatile long renewed;
        volatile boolean lost;
        volatile boolean taken;

        Held(long fence, long renewed) {
            this.fence = fence;
            this.renewed = renewed;
        }

        boolean lostAt(long now, long leaseNanos) {
            return lost || now - renewed > leaseNanos;
        }
    }
}
