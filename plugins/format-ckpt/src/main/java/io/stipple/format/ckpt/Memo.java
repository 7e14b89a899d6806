package io.stipple.format.ckpt;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The pickle's memo. Picklers number memo entries 0, 1, 2... (MEMOIZE even has to), so they live
 * in an array, charged to the budget as it grows; an index far past the others goes to a small
 * map instead, so that one huge LONG_BINPUT index cannot make the array huge, and scattered
 * indices, which no pickler writes, are refused past a few thousand.
 */
final class Memo {
    private static final int MAX_DENSE = 1 << 26;
    private static final long SPARSE_ENTRY = 96;
    private static final int MAX_SPARSE = 1 << 16;

    private final PickleBudget budget;
    private PyValue[] dense = new PyValue[64];
    private HashMap<Long, PyValue> sparse;
    private int size;

    Memo(PickleBudget budget) {
        this.budget = budget;
        budget.charge(8L * dense.length);
    }

    int size() {
        return size;
    }

    void put(long index, PyValue v) {
        if (index >= dense.length && index < MAX_DENSE && index < 2L * dense.length + 1024) {
            int grown = (int) Math.min(MAX_DENSE, Math.max(index + 1, 2L * dense.length));
            budget.charge(8L * (grown - dense.length));
            dense = Arrays.copyOf(dense, grown);
        }
        if (index < dense.length) {
            if (dense[(int) index] == null) {
                size++;
            }
            dense[(int) index] = v;
            return;
        }
        if (sparse == null) {
            sparse = new HashMap<>();
        } else if (sparse.size() >= MAX_SPARSE && !sparse.containsKey(index)) {
            throw new FormatProblem("memo index " + index + " is one of more than " + MAX_SPARSE + " scattered far"
                    + " from the others (expected: indices numbered from 0, as picklers write them)");
        }
        if (sparse.put(index, v) == null) {
            budget.charge(SPARSE_ENTRY);
            size++;
        }
    }

    PyValue get(long index) {
        if (index < dense.length) {
            return dense[(int) index];
        }
        return sparse == null ? null : sparse.get(index);
    }
}
