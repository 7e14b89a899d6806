package io.stipple.format.ckpt;

import io.stipple.format.ckpt.PyValue.PyBigInt;
import io.stipple.format.ckpt.PyValue.PyBool;
import io.stipple.format.ckpt.PyValue.PyDict;
import io.stipple.format.ckpt.PyValue.PyFloat;
import io.stipple.format.ckpt.PyValue.PyInt;
import io.stipple.format.ckpt.PyValue.PyString;
import io.stipple.format.ckpt.PyValue.PyTensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the tensors in what a checkpoint pickles, the way checkpoints are laid out:
 * <ol>
 *   <li>The top level must be a dict.
 *   <li>Wrappers are unwrapped, as ComfyUI and AUTOMATIC1111 do: {@code {"state_dict": {...}}}
 *       always (Lightning and CompVis checkpoints); {@code "model_state_dict"}, {@code "model"} or
 *       {@code "module"} when the level holds no tensor of its own (training scripts, DeepSpeed); and
 *       a level whose only entry is a dict.
 *   <li>Tensors are named by their key; a nested dict with string keys is flattened with dots, the
 *       way {@code nn.Module.state_dict()} names submodules ({@code {"lin": {"weight": t}}} gives
 *       {@code lin.weight}; a textual-inversion embedding's {@code string_to_param.*}).
 *   <li>Everything else is skipped: scalars and strings ({@code global_step}, {@code epoch}),
 *       lists and tuples (optimizer and scheduler states), entries with non-string keys.
 * </ol>
 * Scalars and short strings of the levels walked while unwrapping become the index's metadata
 * ({@code global_step -> "470000"}). Two paths giving one name stop the load, as do dicts nested
 * deeper than {@link CkptLimits#maxDictNesting}, a dict reached twice (shared or containing itself:
 * never so in a state dict, and the way a hostile file would multiply its names), more than
 * {@link CkptLimits#maxTensors} tensors and names over 4096 characters.
 */
final class StateDictLayout {
    private static final List<String> WRAPPERS = List.of("model_state_dict", "model", "module");
    private static final int MAX_METADATA = 256;
    private static final int MAX_METADATA_VALUE = 4096;
    private static final int MAX_NAME = 4096;
    private static final long MAX_NAME_CHARS = 32L << 20;

    record Result(Map<String, TensorRef> tensors, Map<String, String> metadata) {}

    private final CkptLimits limits;
    private final Map<String, TensorRef> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<PyDict> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private long nameChars;

    private StateDictLayout(CkptLimits limits) {
        this.limits = limits;
    }

    static Result of(PyValue root, CkptLimits limits) {
        if (!(root instanceof PyDict dict)) {
            throw new FormatProblem("the pickle holds a " + root.typeName()
                    + " (expected: a dict of tensors, such as a state dict)");
        }
        StateDictLayout layout = new StateDictLayout(limits);
        layout.flatten(layout.unwrap(dict), "", 1);
        return new Result(layout.tensors, layout.metadata);
    }

    private PyDict unwrap(PyDict level) {
        for (int depth = 0; depth < limits.maxDictNesting(); depth++) {
            collectMetadata(level);
            PyDict inner = level.get("state_dict") instanceof PyDict d ? d : null;
            if (inner == null && !holdsTensors(level)) {
                for (String key : WRAPPERS) {
                    if (level.get(key) instanceof PyDict d) {
                        inner = d;
                        break;
                    }
                }
                if (inner == null && level.items().size() == 1
                        && level.items().entrySet().iterator().next().getValue() instanceof PyDict d) {
                    inner = d;
                }
            }
            if (inner == null || inner == level) {
                return level;
            }
            level = inner;
        }
        throw new FormatProblem("state dict wrapped in more than " + limits.maxDictNesting() + " dicts");
    }

    private static boolean holdsTensors(PyDict d) {
        for (PyValue v : d.items().values()) {
            if (v instanceof PyTensor) {
                return true;
            }
        }
        return false;
    }

    private void flatten(PyDict dict, String prefix, int depth) {
        if (depth > limits.maxDictNesting()) {
            throw new FormatProblem("dicts nested deeper than " + limits.maxDictNesting() + " at "
                    + abbreviate(prefix) + " (expected: a state dict)");
        }
        if (!visited.add(dict)) {
            throw new FormatProblem("the dict at " + abbreviate(prefix) + " appears twice in the state dict"
                    + " (expected: each dict once; shared or cyclic dicts are not a state dict)");
        }
        for (Map.Entry<PyValue, PyValue> e : dict.items().entrySet()) {
            if (!(e.getKey() instanceof PyString key)
                    || !(e.getValue() instanceof PyTensor || e.getValue() instanceof PyDict)) {
                continue;
            }
            String name = name(prefix, key.value());
            if (e.getValue() instanceof PyTensor t) {
                if (tensors.size() >= limits.maxTensors()) {
                    throw new FormatProblem("more than " + limits.maxTensors() + " tensors");
                }
                if (tensors.putIfAbsent(name, t.ref()) != null) {
                    throw new FormatProblem("two tensors named " + abbreviate(name) + " (nested dicts flatten to dotted names)");
                }
            } else if (e.getValue() instanceof PyDict inner) {
                flatten(inner, name + ".", depth + 1);
            }
        }
    }

    private String name(String prefix, String key) {
        long length = (long) prefix.length() + key.length();
        if (length > MAX_NAME) {
            throw new FormatProblem("tensor name of " + length + " characters starting " + abbreviate(prefix + key)
                    + " (expected: at most " + MAX_NAME + ")");
        }
        nameChars += length;
        if (nameChars > MAX_NAME_CHARS) {
            throw new FormatProblem("tensor names longer than " + MAX_NAME_CHARS + " characters in all");
        }
        return prefix + key;
    }

    private void collectMetadata(PyDict level) {
        for (Map.Entry<PyValue, PyValue> e : level.items().entrySet()) {
            if (metadata.size() >= MAX_METADATA) {
                return;
            }
            if (e.getKey() instanceof PyString key) {
                String value = switch (e.getValue()) {
                    case PyString s -> s.value().length() <= MAX_METADATA_VALUE ? s.value() : null;
                    case PyInt i -> Long.toString(i.value());
                    case PyBigInt i -> i.value().toString();
                    case PyFloat f -> PythonRepr.of(f.value());
                    case PyBool b -> b.value() ? "True" : "False";
                    default -> null;
                };
                if (value != null) {
                    metadata.putIfAbsent(key.value(), value);
                }
            }
        }
    }

    private static String abbreviate(String name) {
        return name.length() <= 120 ? name : name.substring(0, 120) + "...";
    }
}
