package io.stackwire.controller.cli;

import io.stackwire.reconcile.apply.ProgressListener;
import io.stackwire.reconcile.apply.SlowSteps;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import java.io.PrintWriter;

/** What apply and destroy print as the steps finish: one numbered line per step, and rollbacks. */
final class ApplyProgress {

    private ApplyProgress() {}

    static ProgressListener of(Plan plan, PrintWriter out) {
        int total = plan.steps().size();
        int width = Integer.toString(total).length();
        return new ProgressListener() {
            private int done;

            @Override
            public void finished(StepResult r) {
                done++;
                Step s = r.step();
                String status = switch (r.status()) {
                    case APPLIED -> "done";
                    case ALREADY -> "already done";
                    case SKIPPED -> "not run";
                    case FAILED -> "FAILED";
                };
                String detail = r.message().isEmpty() ? "" : ": " + r.message();
                String time = r.status() == StepResult.Status.SKIPPED ? "" : " (" + r.millis() + " ms)";
                out.printf("[%" + width + "d/%d] %s: %s%s%s%n", done, total, s.describe(), status, detail, time);
                out.flush();
            }

            @Override
            public void stillRunning(Step s, java.time.Duration elapsed) {
                out.println(SlowSteps.line(s, elapsed));
                out.flush();
            }

            @Override
            public void rolledBack(StepResult r) {
                String detail = r.message().isEmpty() ? "" : ": " + r.message();
                out.printf("[rollback] %s (%s): %s%s%n", r.step().describe(),
                        r.step().op() == io.stackwire.reconcile.plan.StepOp.CONNECT ? "its config from before the apply" : "as it was",
                        r.ok() ? "done" : "FAILED", detail);
                out.flush();
            }
        };
    }
}
