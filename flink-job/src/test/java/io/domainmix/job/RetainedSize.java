package io.domainmix.job;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Deep sizes of object graphs that stop at what an operator shares with its task and JVM:
 * classes and class loaders, threads and executors, the task's environment and runtime context,
 * operators and user functions reached from elsewhere, and the RPC service. Objects are counted
 * once across all the graphs walked with one instance, in the order walked, so a later graph
 * gets only what the earlier ones did not keep. Shallow sizes and field reads are JOL's (exact
 * for this JVM, and able to read the fields of lambdas, which are hidden classes).
 */
final class RetainedSize {
    static {
        // gauges are lambdas, which are hidden classes: their field offsets need JOL's own probe
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static final List<Class<?>> BOUNDARIES = List.of(Class.class, ClassLoader.class, Thread.class,
            ThreadGroup.class, Executor.class, Environment.class, RuntimeContext.class, StreamOperator.class,
            Function.class, RpcService.class);
    private static final Map<Class<?>, List<Field>> FIELDS = new HashMap<>();

    private final VirtualMachine vm = VM.current();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Class<?>, long[]> byClass = new HashMap<>();

    /** Bytes reachable from the roots and not counted before; a root itself is never a boundary. */
    long walk(Object... roots) {
        byClass.clear();
        long bytes = 0;
        ArrayDeque<Object> todo = new ArrayDeque<>();
        for (Object r : roots) {
            if (r != null && seen.add(r)) {
                todo.add(r);
            }
        }
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            long size = vm.sizeOf(o);
            bytes += size;
            long[] c = byClass.computeIfAbsent(o.getClass(), k -> new long[2]);
            c[0]++;
            c[1] += size;
            if (o instanceof Object[] array) {
                for (Object e : array) {
                    enqueue(e, todo);
                }
            } else if (!o.getClass().isArray()) {
                for (Field f : fields(o.getClass())) {
                    enqueue(vm.getObject(o, vm.fieldOffset(f)), todo);
                }
            }
        }
        return bytes;
    }

    /** The classes that took the most bytes in the last walk, largest first. */
    String largest(int n) {
        return byClass.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Class<?>, long[]> e) -> -e.getValue()[1]))
                .limit(n)
                .map(e -> String.format("%s %,d × %,d B", e.getKey().getName(), e.getValue()[0], e.getValue()[1]))
                .collect(Collectors.joining("; "));
    }

    private void enqueue(Object o, ArrayDeque<Object> todo) {
        if (o == null || seen.contains(o) || isBoundary(o)) {
            return;
        }
        seen.add(o);
        todo.add(o);
    }

    private static boolean isBoundary(Object o) {
        if (Proxy.isProxyClass(o.getClass())) {
            return true;
        }
        for (Class<?> b : BOUNDARIES) {
            if (b.isInstance(o)) {
                return true;
            }
        }
        return false;
    }

    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> out = new ArrayList<>();
            for (Class<?> c = t; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        out.add(f);
                    }
                }
            }
            return out;
        });
    }
}
