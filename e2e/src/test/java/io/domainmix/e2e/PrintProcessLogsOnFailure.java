package io.domainmix.e2e;

import io.domainmix.testkit.ChildProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test or its setup fails, prints the tail of the log of every child process that is
 * still running or that the test class started (broker, JobManager, TaskManagers, clients):
 * the cause of an end-to-end failure is almost always in one of them, and the files are gone
 * with the next build.
 */
public final class PrintProcessLogsOnFailure
        implements BeforeAllCallback, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final int LINES = 60;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PrintProcessLogsOnFailure.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put("first", ChildProcess.started().size());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        print(context, throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        print(context, throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        print(context, throwable);
        throw throwable;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        print(context, throwable);
        throw throwable;
    }

    private static void print(ExtensionContext context, Throwable failure) {
        Integer first = context.getRoot() == context ? null : context.getStore(NAMESPACE).get("first", Integer.class);
        List<ChildProcess> started = ChildProcess.started();
        int from = first == null ? 0 : Math.min(first, started.size());
        List<ChildProcess> ours = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            if (i >= from || started.get(i).isAlive()) {
                ours.add(started.get(i));
            }
        }
        StringBuilder out = new StringBuilder()
                .append("==== ")
                .append(context.getDisplayName())
                .append(" failed: ")
                .append(failure)
                .append("; last ")
                .append(LINES)
                .append(" log lines of each process it started\n");
        ours.stream()
                .filter(process -> !process.isSucceededTool())
                .forEach(process -> out.append(process.tail(LINES)).append('\n'));
        System.err.println(out);
    }
}
