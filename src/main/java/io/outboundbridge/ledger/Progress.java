package io.outboundbridge.ledger;

import java.util.List;
import java.util.Optional;

/**
 * How far a file's run got, from what the vendor confirmed: where a resumed run carries on.
 *
 * @param fileId     the run
 * @param state      its state
 * @param tasks      its tasks in order
 * @param unanswered requests sent without a recorded answer
 */
public record Progress(long fileId, FileState state, List<TaskProgress> tasks, List<UnansweredRequest> unanswered) {

    public Progress {
        tasks = List.copyOf(tasks);
        unanswered = List.copyOf(unanswered);
    }

    /** The task, if planned. */
    public Optional<TaskProgress> task(int taskIndex) {
        return tasks.stream().filter(t -> t.taskIndex() == taskIndex).findFirst();
    }

    /** Whether the vendor confirmed this request: a resumed run skips it. */
    public boolean confirmed(int taskIndex, int sequence) {
        return task(taskIndex).map(t -> sequence <= t.lastConfirmedSequence()).orElse(false);
    }

    /** Whether this request was sent and its answer never came: the vendor may have applied it. */
    public boolean unanswered(int taskIndex, int sequence) {
        return unanswered.stream().anyMatch(u -> u.taskIndex() == taskIndex && u.sequence() == sequence);
    }

    /** Whether a request's answer was lost (or is awaited): the vendor may have applied it. */
    public boolean answerLost() {
        return !unanswered.isEmpty();
    }

    /** A create whose answer was lost: the task may exist at the vendor under its name, with an unknown id. */
    public Optional<UnansweredRequest> createOutcomeUnknown() {
        return unanswered.stream().filter(UnansweredRequest::create).findFirst();
    }

    public int requestsConfirmed() {
        return tasks.stream().mapToInt(TaskProgress::requestsConfirmed).sum();
    }

    public long customersConfirmed() {
        return tasks.stream().mapToLong(TaskProgress::customersConfirmed).sum();
    }
}
