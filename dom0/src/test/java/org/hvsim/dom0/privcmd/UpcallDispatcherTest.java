package org.hvsim.dom0.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpcallDispatcherTest {
    private final UpcallDispatcher dispatcher = new UpcallDispatcher();
    private final LinkedBlockingQueue<String> delivered = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    void upcallsBeforeTheListenerWaitForItOnePerVcpuInArrivalOrder() throws InterruptedException {
        dispatcher.raise(3);
        dispatcher.raise(1);
        dispatcher.raise(3);
        dispatcher.start(vcpu -> delivered.add(vcpu + " on " + (Thread.currentThread().isVirtual() ? "virtual " : "")
                + Thread.currentThread().getName()));
        assertEquals("3 on virtual privcmd-upcalls", delivered.poll(10, TimeUnit.SECONDS));
        assertEquals("1 on virtual privcmd-upcalls", delivered.poll(10, TimeUnit.SECONDS));
        dispatcher.raise(3);
        assertEquals("3 on virtual privcmd-upcalls", delivered.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void anUpcallArrivingWhileTheListenerRunsForThatVcpuIsDeliveredAgain() throws InterruptedException {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        dispatcher.start(vcpu -> {
            delivered.add("vcpu " + vcpu);
            inListener.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        dispatcher.raise(0);
        assertTrue(inListener.await(10, TimeUnit.SECONDS));
        dispatcher.raise(0);
        proceed.countDown();
        assertEquals("vcpu 0", delivered.poll(10, TimeUnit.SECONDS));
        assertEquals("vcpu 0", delivered.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aListenerThatThrowsDoesNotStopDelivery() throws InterruptedException {
        dispatcher.start(vcpu -> {
            delivered.add("vcpu " + vcpu);
            if (vcpu == 1) {
                throw new IllegalStateException("listener bug");
            }
        });
        dispatcher.raise(1);
        dispatcher.raise(2);
        assertEquals("vcpu 1", delivered.poll(10, TimeUnit.SECONDS));
        assertEquals("vcpu 2", delivered.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void onlyOneListenerAndNothingAfterClose() throws InterruptedException {
        dispatcher.start(vcpu -> delivered.add("vcpu " + vcpu));
        assertThrows(IllegalStateException.class, () -> dispatcher.start(vcpu -> {}));
        dispatcher.close();
        dispatcher.raise(1);
        assertNull(delivered.poll(50, TimeUnit.MILLISECONDS));
    }
}
