package org.loom.gateway.web;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.test.context.TestComponent;

/** A readiness check a test can fail on purpose; only in the guarded test gateway. */
@TestComponent
class SwitchableReadinessCheck implements ReadinessCheck {

    private final AtomicBoolean ready = new AtomicBoolean(true);

    void set(boolean value) {
        ready.set(value);
    }

    @Override
    public String name() {
        return "test_switch";
    }

    @Override
    public boolean isReady() {
        return ready.get();
    }
}
