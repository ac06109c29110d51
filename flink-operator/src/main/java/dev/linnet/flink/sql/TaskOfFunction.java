package dev.linnet.flink.sql;

import java.lang.reflect.Field;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.table.functions.FunctionContext;

/**
 * The runtime context of the task a SQL function runs in. A {@link FunctionContext} holds it but does not
 * hand it out; Linnet needs it for the TaskManager's own configuration (which files SQL may open, how many
 * threads a task gets) and for the job class loader's release hook, so it is read from the field. A test
 * (every MiniCluster SQL test) fails when a Flink version renames it.
 */
final class TaskOfFunction {

    private static final Field CONTEXT = contextField();

    private TaskOfFunction() {}

    /**
     * The task's runtime context.
     *
     * @throws IllegalStateException when the function is not opened in a task (e.g. by the planner)
     */
    static RuntimeContext runtimeContext(FunctionContext context, String function) {
        Object value;
        try {
            value = CONTEXT == null ? null : CONTEXT.get(context);
        } catch (IllegalAccessException e) {
            value = null;
        }
        if (!(value instanceof RuntimeContext)) {
            throw new IllegalStateException(function + " opens its model in a Flink task only, with the "
                    + "TaskManager's configuration; here it was opened without one"
                    + (CONTEXT == null ? " (this Flink version's FunctionContext has no runtime context field)" : ""));
        }
        return (RuntimeContext) value;
    }

    private static Field contextField() {
        for (Field f : FunctionContext.class.getDeclaredFields()) {
            if (RuntimeContext.class.isAssignableFrom(f.getType())) {
                try {
                    f.setAccessible(true);
                    return f;
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
