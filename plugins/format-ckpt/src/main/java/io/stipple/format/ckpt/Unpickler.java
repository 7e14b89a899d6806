package io.stipple.format.ckpt;

import io.stipple.format.ckpt.PyValue.PyBool;
import io.stipple.format.ckpt.PyValue.PyBytes;
import io.stipple.format.ckpt.PyValue.PyDict;
import io.stipple.format.ckpt.PyValue.PyFloat;
import io.stipple.format.ckpt.PyValue.PyGlobal;
import io.stipple.format.ckpt.PyValue.PyInt;
import io.stipple.format.ckpt.PyValue.PyList;
import io.stipple.format.ckpt.PyValue.PyNone;
import io.stipple.format.ckpt.PyValue.PyOpaque;
import io.stipple.format.ckpt.PyValue.PyString;
import io.stipple.format.ckpt.PyValue.PyTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Interprets pickle opcodes (protocols 2 to 5, the binary opcodes {@code torch.save} and Python's
 * pickler emit) into {@link PyValue}s, as data only. Globals come from {@link TorchGlobals} or stop
 * the load; calls (REDUCE, NEWOBJ, BUILD) are carried out by {@link TorchCalls}, which knows what
 * each allowed torch function means and builds a description instead of running it. Stack, MARK
 * depth, nesting and the objects made are bounded by {@link CkptLimits}; every opcode reads a bounded
 * number of bytes, so the work is linear in the pickle's length.
 */
final class Unpickler {

    /** Resolves BINPERSID: a persistent id tuple such as {@code ('storage', torch.FloatStorage, '0', 'cpu', 6)}. */
    interface PersistentLoader {
        PyValue load(PyTuple pid);
    }

    private static final PyBool TRUE = new PyBool(true);
    private static final PyBool FALSE = new PyBool(false);
    private static final int MAX_GLOBAL_NAME = 256;
    private static final int MAX_LONG_BYTES = 1024;

    private final PickleInput in;
    private final CkptLimits limits;
    private final PickleBudget budget;
    private final PersistentLoader persistent;
    private final TorchCalls calls;
    private final Memo memo;
    private final ArrayDeque<ArrayList<PyValue>> marks = new ArrayDeque<>();
    private ArrayList<PyValue> stack = new ArrayList<>();
    private int stackEntries;
    private long opcodeAt;

    Unpickler(PickleInput in, CkptLimits limits, PickleBudget budget, PersistentLoader persistent) {
        this.in = in;
        this.limits = limits;
        this.budget = budget;
        this.persistent = persistent;
        this.calls = new TorchCalls(limits, budget);
        this.memo = new Memo(budget);
    }

    /** Runs to STOP and returns the pickled value; the input is left just after the STOP. */
    PyValue load() {
        while (true) {
            opcodeAt = in.position();
            int op = in.u8();
            switch (op) {
                case 0x80 -> protocol(in.u8());
                case 0x95 -> frame(in.i64());
                case '.' -> {
                    return pop("STOP");
                }
                case '(' -> mark();
                case '0' -> pop("POP");
                case '1' -> popMark("POP_MARK");
                case '2' -> push(peek("DUP"));
                case 'N' -> push(PyNone.NONE);
                case 0x88 -> push(TRUE);
                case 0x89 -> push(FALSE);
                case 'J' -> pushNew(PyInt.of(in.i32()));
                case 'K' -> push(PyInt.of(in.u8()));
                case 'M' -> pushNew(PyInt.of(in.u16()));
                case 0x8a -> pushNew(Longs.decode(in.bytes(in.u8(), MAX_LONG_BYTES)));
                case 0x8b -> pushNew(Longs.decode(in.bytes(in.u32(), MAX_LONG_BYTES)));
                case 'G' -> pushNew(new PyFloat(in.f64BigEndian()));
                case 'X' -> string(in.u32());
                case 0x8c -> string(in.u8());
                case 0x8d -> string(in.i64());
                case 'U' -> latin1String(in.u8());
                case 'T' -> latin1String(in.u32());
                case 'C' -> bytes(in.u8());
                case 'B' -> bytes(in.u32());
                case 0x8e, 0x96 -> bytes(in.i64());
                case ')' -> pushNew(new PyTuple(List.of()));
                case 't' -> tuple(popMark("TUPLE"));
                case 0x85 -> tupleOfLast(1);
                case 0x86 -> tupleOfLast(2);
                case 0x87 -> tupleOfLast(3);
                case ']' -> pushNew(new PyList());
                case 'l' -> listFrom(popMark("LIST"));
                case 'a' -> append(pop("APPEND"));
                case 'e' -> {
                    List<PyValue> items = popMark("APPENDS");
                    for (PyValue v : items) {
                        append(v);
                    }
                }
                case '}' -> pushNew(new PyDict());
                case 'd' -> {
                    List<PyValue> items = popMark("DICT");
                    pushNew(new PyDict());
                    setItems(items, "DICT");
                }
                case 's' -> {
                    PyValue v = pop("SETITEM");
                    PyValue k = pop("SETITEM");
                    setItems(List.of(k, v), "SETITEM");
                }
                case 'u' -> setItems(popMark("SETITEMS"), "SETITEMS");
                case 0x8f -> pushNew(new PyOpaque("set"));
                case 0x90 -> addItems(popMark("ADDITEMS"));
                case 0x91 -> {
                    charge(popMark("FROZENSET").size());
                    pushNew(new PyOpaque("frozenset"));
                }
                case 'q' -> put(in.u8());
                case 'r' -> put(in.u32());
                case 0x94 -> put(memo.size());
                case 'h' -> get(in.u8());
                case 'j' -> get(in.u32());
                case 'c' -> global(in.line(MAX_GLOBAL_NAME), in.line(MAX_GLOBAL_NAME), "GLOBAL");
                case 0x93 -> {
                    PyValue name = pop("STACK_GLOBAL");
                    PyValue module = pop("STACK_GLOBAL");
                    if (!(module instanceof PyString m) || !(name instanceof PyString n)) {
                        throw problem("STACK_GLOBAL needs two strings, got " + module.typeName() + " and " + name.typeName());
                    }
                    global(m.value(), n.value(), "STACK_GLOBAL");
                }
                case 'R' -> {
                    PyValue args = pop("REDUCE");
                    PyValue callable = pop("REDUCE");
                    pushNew(calls.reduce(callable, args));
                }
                case 0x81 -> {
                    PyValue args = pop("NEWOBJ");
                    PyValue cls = pop("NEWOBJ");
                    pushNew(calls.newObject(cls, args));
                }
                case 0x92 -> {
                    pop("NEWOBJ_EX");
                    PyValue args = pop("NEWOBJ_EX");
                    PyValue cls = pop("NEWOBJ_EX");
                    pushNew(calls.newObject(cls, args));
                }
                case 'b' -> {
                    PyValue state = pop("BUILD");
                    calls.build(peek("BUILD"), state);
                }
                case 'i' -> {
                    String module = in.line(MAX_GLOBAL_NAME);
                    String name = in.line(MAX_GLOBAL_NAME);
                    throw problem("INST would create an instance of " + module + "." + name
                            + " (not allowed: a checkpoint holds tensors and plain data only)");
                }
                case 'o' -> {
                    List<PyValue> items = popMark("OBJ");
                    String what = items.isEmpty() ? "nothing" : items.get(0).typeName();
                    throw problem("OBJ would create an instance of " + what
                            + " (not allowed: a checkpoint holds tensors and plain data only)");
                }
                case 'Q' -> {
                    PyValue pid = pop("BINPERSID");
                    if (!(pid instanceof PyTuple t)) {
                        throw problem("persistent id is a " + pid.typeName() + " (expected: a tuple such as ('storage', ...))");
                    }
                    pushNew(persistent.load(t));
                }
                case 0x82, 0x83, 0x84 -> throw problem(Opcodes.name(op) + " names a global through copyreg's extension"
                        + " registry (not allowed)");
                default -> throw problem(Opcodes.unsupported(op));
            }
        }
    }

    private FormatProblem problem(String what) {
        return new FormatProblem(what + " at pickle offset " + opcodeAt);
    }

    private void protocol(int p) {
        if (p > 5) {
            throw problem("pickle protocol " + p + " (expected: 2 to 5)");
        }
    }

    private void frame(long n) {
        if (n < 0 || n > in.remaining()) {
            throw problem("FRAME of " + n + " bytes with " + in.remaining() + " left");
        }
    }

    private void global(String module, String name, String opcode) {
        TorchGlobal g = TorchGlobals.lookup(module, name).orElseThrow(() -> problem(
                opcode + " names " + module + "." + name + ", which is not allowed (expected: torch storage/tensor"
                        + " types, dtypes, torch._utils rebuild functions, collections.OrderedDict; nothing in a"
                        + " checkpoint is ever run)"));
        pushNew(new PyGlobal(g));
    }

    private void string(long n) {
        String s = in.utf8(n, limits.maxStringBytes());
        budget.charge(PickleBudget.OBJECT + 2L * s.length());
        push(new PyString(s));
    }

    /** Python 2 str (SHORT_BINSTRING/BINSTRING): torch's own ids are ASCII, read them as text. */
    private void latin1String(long n) {
        String s = new String(in.bytes(n, limits.maxStringBytes()), StandardCharsets.ISO_8859_1);
        budget.charge(PickleBudget.OBJECT + 2L * s.length());
        push(new PyString(s));
    }

    private void bytes(long n) {
        byte[] b = in.bytes(n, limits.maxStringBytes());
        budget.charge(PickleBudget.OBJECT + b.length);
        push(new PyBytes(b));
    }

    private void tuple(List<PyValue> items) {
        charge(items.size());
        PyTuple t = new PyTuple(items);
        checkDepth(t.depth());
        pushNew(t);
    }

    private void tupleOfLast(int n) {
        PyValue[] items = new PyValue[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop(Opcodes.name(0x84 + n));
        }
        tuple(List.of(items));
    }

    private void listFrom(List<PyValue> items) {
        pushNew(new PyList());
        for (PyValue v : items) {
            append(v);
        }
    }

    private void append(PyValue v) {
        PyValue target = peek("APPEND");
        if (!(target instanceof PyList list)) {
            throw problem("APPEND to a " + target.typeName() + " (expected: a list)");
        }
        charge(1);
        checkDepth(list.add(v));
    }

    private void setItems(List<PyValue> items, String opcode) {
        PyValue target = peek(opcode);
        if (!(target instanceof PyDict dict)) {
            throw problem(opcode + " on a " + target.typeName() + " (expected: a dict)");
        }
        if (items.size() % 2 != 0) {
            throw problem(opcode + " with " + items.size() + " values (expected: key/value pairs)");
        }
        for (int i = 0; i < items.size(); i += 2) {
            budget.charge(dict.items().isEmpty() ? PickleBudget.MAP + PickleBudget.MAP_ENTRY : PickleBudget.MAP_ENTRY);
            checkDepth(dict.put(items.get(i), items.get(i + 1)));
        }
    }

    private void addItems(List<PyValue> items) {
        PyValue target = peek("ADDITEMS");
        if (!(target instanceof PyOpaque o) || !o.typeName().equals("set")) {
            throw problem("ADDITEMS on a " + target.typeName() + " (expected: a set)");
        }
        // A set's members are never looked at: charge them and let them go.
        charge(items.size());
    }

    private void put(long index) {
        memo.put(index, peek("PUT"));
    }

    private void get(long index) {
        PyValue v = memo.get(index);
        if (v == null) {
            throw problem("memo entry " + index + " is empty");
        }
        push(v);
    }

    private void charge(long references) {
        budget.charge(PickleBudget.OBJECT + references * PickleBudget.REFERENCE);
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxValueDepth()) {
            throw problem("values nested " + depth + " deep (expected: at most " + limits.maxValueDepth() + ")");
        }
    }

    private void pushNew(PyValue v) {
        budget.charge(PickleBudget.OBJECT);
        push(v);
    }

    private void push(PyValue v) {
        if (++stackEntries > limits.maxStackEntries()) {
            throw problem("pickle stack holds more than " + limits.maxStackEntries() + " values");
        }
        stack.add(v);
    }

    private PyValue pop(String opcode) {
        if (stack.isEmpty()) {
            throw problem(opcode + " on an empty stack");
        }
        stackEntries--;
        return stack.removeLast();
    }

    private PyValue peek(String opcode) {
        if (stack.isEmpty()) {
            throw problem(opcode + " on an empty stack");
        }
        return stack.getLast();
    }

    private void mark() {
        if (marks.size() >= limits.maxMarkDepth()) {
            throw problem("more than " + limits.maxMarkDepth() + " MARKs open");
        }
        charge(0);
        marks.push(stack);
        stack = new ArrayList<>();
    }

    private List<PyValue> popMark(String opcode) {
        if (marks.isEmpty()) {
            throw problem(opcode + " without a MARK");
        }
        ArrayList<PyValue> items = stack;
        stack = marks.pop();
        stackEntries -= items.size();
        return items;
    }
}
