package io.stipple.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of waiting jobs, with named fake jobs: priority first, clients in turn, each client FIFO. */
class FairOrderTest {
    private static final class Named extends Job {
        final String name;

        Named(String name, int priority, String client) {
            super(Kind.GENERATE, new Scheduling(priority, client));
            this.name = name;
        }

        @Override
        public void run() {}

        @Override
        public String toString() {
            return name;
        }
    }

    private static List<String> drain(FairOrder order) {
        List<String> out = new ArrayList<>();
        Job j;
        while ((j = order.poll()) != null) {
            out.add(j.toString());
        }
        return out;
    }

    @Test
    void oneClientsManyJobsDoNotStarveAnothersOne() {
        FairOrder order = new FairOrder();
        for (int i = 1; i <= 5; i++) {
            order.add(new Named("a" + i, 0, "a"));
        }
        order.add(new Named("b1", 0, "b"));
        order.add(new Named("c1", 0, "c"));
        order.add(new Named("b2", 0, "b"));
        assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "a3", "a4", "a5"), order.inOrder().stream().map(Object::toString).toList());
        assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "a3", "a4", "a5"), drain(order));
    }

    @Test
    void higherPrioritiesRunFirstAndFifoWithinAClient() {
        FairOrder order = new FairOrder();
        order.add(new Named("low", -5, "x"));
        order.add(new Named("n1", 0, "x"));
        order.add(new Named("high1", 10, "y"));
        order.add(new Named("n2", 0, "x"));
        order.add(new Named("high2", 10, "z"));
        order.add(new Named("high3", 10, "y"));
        assertEquals(List.of("high1", "high2", "high3", "n1", "n2", "low"), drain(order));
    }

    @Test
    void aClientServedGoesToTheBackAndANewOneJoinsAtTheBack() {
        FairOrder order = new FairOrder();
        order.add(new Named("a1", 0, "a"));
        order.add(new Named("a2", 0, "a"));
        order.add(new Named("b1", 0, "b"));
        assertEquals("a1", order.poll().toString());
        order.add(new Named("c1", 0, "c"));
        assertEquals(List.of("b1", "a2", "c1"), drain(order));
    }

    @Test
    void removingAWaitingJobKeepsTheRest() {
        FairOrder order = new FairOrder();
        Named a1 = new Named("a1", 0, "a");
        Named b1 = new Named("b1", 0, "b");
        order.add(a1);
        order.add(b1);
        order.add(new Named("a2", 0, "a"));
        assertTrue(order.remove(b1));
        assertFalse(order.remove(b1));
        assertEquals(2, order.size());
        assertEquals(List.of("a1", "a2"), drain(order));
        assertNull(order.poll());
    }
}
