package io.outboundbridge.sandbox;

import io.outboundbridge.task.CreateTaskRequest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.PhoneGroup;
import io.outboundbridge.task.VendorRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tasks the sandbox vendor holds: unique names, ids from a counter, customers per task up to the vendor's
 * 20,000. Thread-safe: each change checks and applies under one lock, so concurrent calls cannot both pass a limit.
 */
final class TaskBook {

    private final long firstTaskId;
    private final boolean recordCustomers;
    private final Map<Long, Entry> byId = new LinkedHashMap<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private long nextId;

    TaskBook(long firstTaskId, boolean recordCustomers) {
        this.firstTaskId = firstTaskId;
        this.recordCustomers = recordCustomers;
        this.nextId = firstTaskId;
    }

    /** Creates the task, or answers 29002 when its name is taken. */
    synchronized SandboxAnswer create(CreateTaskRequest r) {
        if (byName.containsKey(r.taskName())) {
            return SandboxAnswer.parameterError("taskName already exists: " + r.taskName());
        }
        CreateTaskRequest kept = recordCustomers ? r : withoutCustomers(r);
        Entry e = new Entry(nextId++, kept, r.outboundPhoneGroups().stream().filter(Objects::nonNull)
                .map(PhoneGroup::identify).collect(Collectors.toUnmodifiableSet()));
        e.add(r.outBoundCustomers(), recordCustomers);
        byId.put(e.id, e);
        byName.put(r.taskName(), e);
        return SandboxAnswer.success(e.id);
    }

    /** What an append needs to know of the task before its rules are checked; empty for an unknown id. */
    synchronized Optional<TaskInfo> info(long taskId) {
        Entry e = byId.get(taskId);
        return e == null ? Optional.empty()
                : Optional.of(new TaskInfo(e.create.taskType(), e.create.taskExecEndDate(), e.identifies));
    }

    /** Appends, or answers 29002 when the task would go over the vendor's limit. */
    synchronized SandboxAnswer append(long taskId, List<Customer> customers) {
        Entry e = byId.get(taskId);
        if (e == null) {
            return SandboxAnswer.parameterError("taskId: unknown task " + taskId);
        }
        int after = e.count + customers.size();
        if (after > VendorRules.CUSTOMERS_PER_TASK_MAX) {
            return SandboxAnswer.parameterError("outBoundCustomers: task " + taskId + " has " + e.count
                    + " customers, appending " + customers.size() + " would exceed the limit of "
                    + VendorRules.CUSTOMERS_PER_TASK_MAX + " per task");
        }
        e.add(customers, recordCustomers);
        return SandboxAnswer.success(null);
    }

    synchronized List<RecordedTask> tasks() {
        return byId.values().stream().map(Entry::snapshot).toList();
    }

    synchronized Optional<RecordedTask> task(String name) {
        return Optional.ofNullable(byName.get(name)).map(Entry::snapshot);
    }

    synchronized int totalCustomers() {
        return byId.values().stream().mapToInt(e -> e.count).sum();
    }

    synchronized void reset() {
        byId.clear();
        byName.clear();
        nextId = firstTaskId;
    }

    private static CreateTaskRequest withoutCustomers(CreateTaskRequest r) {
        return new CreateTaskRequest(r.taskName(), r.taskType(), r.taskExecStartDate(), r.taskExecEndDate(),
                r.taskExecTimes(), r.taskDesc(), r.skillSetId(), r.outboundNumberGroupId(), r.strategyDisplaySwitch(),
                r.sendNumberStrategy(), r.abandonmentRate(), r.multiplyPower(), r.maxRingingDuration(), r.acw(),
                r.outboundPhoneGroups(), null);
    }

    /** A task's facts an append is checked against. */
    record TaskInfo(Integer taskType, String endDate, Set<String> identifies) {
    }

    private static final class Entry {
        final long id;
        final CreateTaskRequest create;
        final Set<String> identifies;
        final List<Customer> customers = new ArrayList<>();
        final IdList externalIds = new IdList();
        int count;

        Entry(long id, CreateTaskRequest create, Set<String> identifies) {
            this.id = id;
            this.create = create;
            this.identifies = identifies;
        }

        void add(List<Customer> added, boolean record) {
            for (Customer c : added) {
                externalIds.add(c.externalCustomerId());
            }
            if (record) {
                customers.addAll(added);
            }
            count += added.size();
        }

        RecordedTask snapshot() {
            return new RecordedTask(id, create.taskName(), create, List.copyOf(customers), count,
                    externalIds.toList());
        }
    }
}
