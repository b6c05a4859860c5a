package io.hookline.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The replica's {@link Lane}s, one per webhook with recent traffic, and how the replica's slots ({@code max-in-flight})
 * are shared among them. Before each claim, {@link #plan} gives every lane its share: with {@code k} endpoints holding
 * claims, none takes more than {@code max-in-flight / k} of them (on the wire and waiting). One that holds more (its
 * share shrank as others came) takes no more until it is within it again, and gives its waiting claims back if it
 * holds slots long ({@link Lane#holdsLong()}: slow, or silent for a second); a fast one's claims start within moments
 * anyway. One endpoint alone has the whole replica. So slow endpoints cannot starve the others (Little's law: 12
 * slots to a 5 s endpoint are 2.4 deliveries/s; the same 12 slots to a 1 ms endpoint, thousands). An endpoint that
 * stops answering gives back what it cannot start within the keep time at its silence so far, which frees slots for
 * endpoints with nothing in hand yet (their deliveries wait in the queue, unseen here). This class is threadsafe.
 *
 * @param <T> what waits in a lane (the dispatcher's claim with its keys)
 */
final class Lanes<T> {
    /** A lane that held nothing for this long is dropped; the endpoint's next delivery starts a new one. */
    static final Duration IDLE = Duration.ofMinutes(5);

    /** How often idle lanes are looked for. */
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A waiting claim given back before the claim, due again after {@code after} (zero: at once). */
    record GiveBack<T>(T item, Duration after, boolean overShare) {}

    /**
     * What the next claim may take: the webhooks it skips (no room here, or paused), whether any of them for want of
     * room rather than a pause, each other lane's room, the room of a webhook without a lane, and the waiting claims
     * that go back first.
     */
    record Plan<T>(
            List<String> skip, boolean busy, Map<String, Integer> room, int freshRoom, List<GiveBack<T>> giveBack) {}

    private final Map<String, Lane<T>> lanes = new ConcurrentHashMap<>();
    private final Lane.Limits limits;
    private final int slots;
    private final LongSupplier nanoTime;
    private long lastSweep;

    /**
     * @param slots the replica's {@code max-in-flight}: what the lanes share
     */
    Lanes(Lane.Limits limits, int slots, LongSupplier nanoTime) {
        this.limits = limits;
        this.slots = slots;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
    }

    /** The webhook's lane, new if it has none (or its lane was retired). */
    Lane<T> lane(String webhookId) {
        return lanes.computeIfAbsent(webhookId, id -> new Lane<>(limits, nanoTime));
    }

    /** Each of {@code holders} endpoints' share of the slots (at least 1). */
    static int share(int slots, int holders) {
        return Math.max(1, slots / Math.max(1, holders));
    }

    /**
     * Sets each lane's share from how many hold claims now (a lane holding none counts itself in), takes out what lanes
     * hold beyond it or can no longer start in time, and says what the next claim may take. Called by the claiming
     * thread only.
     */
    Plan<T> plan() {
        long now = nanoTime.getAsLong();
        if (now - lastSweep >= SWEEP_NANOS) {
            lastSweep = now;
            lanes.forEach((id, lane) -> {
                if (lane.retireIfIdle(IDLE)) {
                    lanes.remove(id, lane);
                }
            });
        }
        List<Map.Entry<String, Lane<T>>> all = new ArrayList<>(lanes.entrySet());
        int[] held = new int[all.size()];
        int holders = 0;
        for (int i = 0; i < held.length; i++) {
            held[i] = all.get(i).getValue().held();
            holders += held[i] > 0 ? 1 : 0;
        }
        List<String> skip = new ArrayList<>();
        Map<String, Integer> room = new HashMap<>();
        List<GiveBack<T>> giveBack = new ArrayList<>();
        boolean busy = false;
        for (int i = 0; i < held.length; i++) {
            Lane<T> lane = all.get(i).getValue();
            lane.share(share(slots, held[i] > 0 ? holders : holders + 1));
            Lane.Trimmed<T> trimmed = lane.trim();
            for (T item : trimmed.back()) {
                giveBack.add(new GiveBack<>(item, trimmed.after(), trimmed.overShare()));
            }
            int free = lane.room();
            if (free == 0) {
                skip.add(all.get(i).getKey());
                busy |= !lane.paused();
            } else {
                room.put(all.get(i).getKey(), free);
            }
        }
        int freshRoom = Math.min(limits.freshRoom(), share(slots, holders + 1));
        return new Plan<>(skip, busy, room, freshRoom, giveBack);
    }

    /** Each endpoint's limit in force (sorted) and how many are paused: for the metrics. */
    DeliveryMetrics.Lanes snapshot() {
        List<Lane<T>> all = new ArrayList<>(lanes.values());
        int[] limitsNow = new int[all.size()];
        int paused = 0;
        for (int i = 0; i < limitsNow.length; i++) {
            limitsNow[i] = all.get(i).limit();
            paused += all.get(i).paused() ? 1 : 0;
        }
        Arrays.sort(limitsNow);
        return new DeliveryMetrics.Lanes(limitsNow, paused);
    }

    /** Takes every waiting claim out of every lane (when the dispatcher stops claiming). */
    List<T> drainWaiting() {
        List<T> drained = new ArrayList<>();
        for (Lane<T> lane : lanes.values()) {
            drained.addAll(lane.drainWaiting());
        }
        return drained;
    }
}
