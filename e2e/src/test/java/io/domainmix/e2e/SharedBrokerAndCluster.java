package io.domainmix.e2e;

import io.domainmix.testkit.ChildProcess;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One broker process and one two-TaskManager cluster for all end-to-end classes of a test run:
 * starting them is most of a small class's time. They live in the root context's store, which
 * closes them after the last class (and the shutdown hook of {@link ChildProcess} kills them
 * if the JVM ends first). A class gets them as a parameter of its {@code @BeforeAll} method.
 */
public final class SharedBrokerAndCluster implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedBrokerAndCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BrokerAndCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(BrokerAndCluster.class,
                type -> BrokerAndCluster.start("shared", c -> c.taskManagers(2).slotsPerTaskManager(2)),
                BrokerAndCluster.class);
    }
}
