package io.stipple.app.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The queue logs each job's start and end as key=value fields with the job's id. */
class JobLogTest {
    @Test
    void startAndEndCarryTheJobId() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(JobQueue.class.getName());
        logger.addHandler(capture);
        try {
            JobQueue queue = new JobQueue(4, Long.MAX_VALUE);
            Job job = new Job(Job.Kind.MERGE, new Scheduling(3, "team-a")) {
                @Override
                public void run() {}

                @Override
                public String outcome() {
                    return "OK";
                }
            };
            queue.submit(job);
            for (int i = 0; i < 500 && lines.stream().noneMatch(l -> l.contains("event=ended")); i++) {
                Thread.sleep(10);
            }
            queue.close();
            String prefix = "job=" + job.id() + " kind=merge event=";
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix + "started priority=3 client=\"team-a\" waited_ms=")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix + "ended priority=3 client=\"team-a\" outcome=OK total_ms=")), lines.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }
}
