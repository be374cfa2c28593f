package io.sftap.job.flow;

import java.util.Iterator;
import java.util.LinkedHashMap;

/** A cache of key hashes only, LRU or bimodal, that counts nothing but hits: a miniature simulation. */
final class SimulatedLru {
    private final LinkedHashMap<Long, Boolean> keys = new LinkedHashMap<>(64, 0.75f, true);
    private final boolean bimodal;
    private int ticks;

    SimulatedLru(boolean bimodal) {
        this.bimodal = bimodal;
    }

    /** Looks a key up, takes it in on a miss as the policy says, and trims to {@code capacity}. */
    boolean lookUp(long keyHash, int capacity) {
        trim(capacity);
        if (keys.get(keyHash) != null) {
            return true;
        }
        if (keys.size() < capacity || !bimodal || ++ticks % AdaptiveAdmission.BIMODAL_ONE_IN == 0) {
            keys.put(keyHash, Boolean.TRUE);
            trim(capacity);
        }
        return false;
    }

    private void trim(int capacity) {
        if (keys.size() > capacity) {
            Iterator<Long> eldest = keys.keySet().iterator();
            while (keys.size() > capacity) {
                eldest.next();
                eldest.remove();
            }
        }
    }

    int size() {
        return keys.size();
    }
}
