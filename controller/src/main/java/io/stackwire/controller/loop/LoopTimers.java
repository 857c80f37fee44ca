package io.stackwire.controller.loop;

import io.stackwire.controller.lease.Renewals;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's one scheduler, Quartz: the fetch and resync timers (which only ask for a pass) and
 * the renewals of the lease a pass holds while it applies.
 */
final class LoopTimers {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");
    private static final String RUN = "run";
    private static final AtomicLong RENEWALS = new AtomicLong();

    private LoopTimers() {}

    /**
     * Starts the scheduler, with no timers yet ({@link #scheduleTicks}): it is there before the
     * first pass, so that pass's lease renewals run on it too.
     */
    static Scheduler start(LoopConfig config, LoopEvents.Requests requests) throws SchedulerException {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "stackwire-" + config.instanceId());
        // Two: a lease renewal (two Docker calls) never delays a tick, nor a tick a renewal.
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        s.setJobFactory((bundle, sched) -> {
            JobDataMap data = bundle.getJobDetail().getJobDataMap();
            return data.containsKey(RUN) ? new Renew((Runnable) data.get(RUN)) : new Tick(requests, (Trigger) data.get("trigger"));
        });
        s.start();
        return s;
    }

    /** Schedules the interval and resync timers. */
    static void scheduleTicks(Scheduler s, LoopConfig config, Clock clock, Random random) throws SchedulerException {
        schedule(s, Trigger.INTERVAL, config.interval(), clock, random);
        schedule(s, Trigger.RESYNC, config.resync(), clock, random);
    }

    /** Fires every {@code every}, first after one period plus up to 10% jitter so a fleet spreads out. */
    private static void schedule(Scheduler s, Trigger trigger, Duration every, Clock clock, Random random) throws SchedulerException {
        var job = JobBuilder.newJob(Tick.class).withIdentity(trigger.name()).build();
        job.getJobDataMap().put("trigger", trigger);
        long jitter = (long) (random.nextDouble() * every.toMillis() / 10);
        s.scheduleJob(job, repeating(trigger.name(), new Date(clock.millis() + every.toMillis() + jitter), every));
    }

    private static org.quartz.Trigger repeating(String name, Date first, Duration every) {
        return TriggerBuilder.newTrigger().withIdentity(name).startAt(first)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(every.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount()) // missed ticks coalesce
                .build();
    }

    /** Stops the timers (no new passes are asked for); lease renewals go on until their pass ends. */
    static void stopTicks(Scheduler s) throws SchedulerException {
        if (s.isShutdown()) {
            return;
        }
        s.deleteJob(JobKey.jobKey(Trigger.INTERVAL.name()));
        s.deleteJob(JobKey.jobKey(Trigger.RESYNC.name()));
    }

    /**
     * Lease renewals on the loop's scheduler while it runs; before {@code start} (a test calling a
     * pass directly) or after it stopped, on a thread of their own as the CLI's.
     */
    static Renewals renewals(Supplier<Scheduler> scheduler) {
        return (period, renew) -> {
            Scheduler s = scheduler.get();
            try {
                if (s != null && s.isStarted() && !s.isShutdown()) {
                    JobKey key = JobKey.jobKey("lease-renewal-" + RENEWALS.incrementAndGet());
                    var job = JobBuilder.newJob(Renew.class).withIdentity(key).build();
                    job.getJobDataMap().put(RUN, renew);
                    s.scheduleJob(job, repeating(key.getName(), new Date(System.currentTimeMillis() + period.toMillis()), period));
                    return () -> {
                        try {
                            s.deleteJob(key);
                        } catch (SchedulerException e) {
                            LOG.debug("stopping the lease renewals: {}", e.getMessage());
                        }
                    };
                }
            } catch (SchedulerException e) {
                LOG.warn("cannot renew the lease on the loop's scheduler ({}); renewing on a thread of its own", e.getMessage());
            }
            return Renewals.THREAD.every(period, renew);
        };
    }

    /** A Quartz tick only asks for a pass; the pass itself runs on the loop's worker. */
    @DisallowConcurrentExecution
    static final class Tick implements Job {
        private final LoopEvents.Requests requests;
        private final Trigger trigger;

        Tick(LoopEvents.Requests requests, Trigger trigger) {
            this.requests = requests;
            this.trigger = trigger;
        }

        @Override
        public void execute(JobExecutionContext context) {
            requests.request(trigger, Duration.ZERO);
        }
    }

    /** One renewal of a held lease. */
    @DisallowConcurrentExecution
    static final class Renew implements Job {
        private final Runnable renew;

        Renew(Runnable renew) {
            this.renew = renew;
        }

        @Override
        public void execute(JobExecutionContext context) {
            renew.run();
        }
    }
}
