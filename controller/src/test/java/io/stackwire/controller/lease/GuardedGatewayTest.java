package io.stackwire.controller.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.daemon.DockerGateway;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedGatewayTest {

    /**
     * A default method left to the interface would bypass the guard or, like connectRunning, turn
     * into a costlier call on the real gateway: the guard must forward every method itself.
     */
    @Test
    void overridesEveryGatewayMethodIncludingTheDefaultOnes() throws Exception {
        List<String> missing = Arrays.stream(DockerGateway.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> declaredIn(m) != GuardedGateway.class)
                .map(Method::getName).toList();
        assertThat(missing).isEmpty();
    }

    private static Class<?> declaredIn(Method m) {
        try {
            return GuardedGateway.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
