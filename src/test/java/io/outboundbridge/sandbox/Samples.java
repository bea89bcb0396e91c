package io.outboundbridge.sandbox;

import io.outboundbridge.task.AppendCustomersRequest;
import io.outboundbridge.task.CreateTaskRequest;
import io.outboundbridge.task.Customer;
import io.outboundbridge.task.ExecTime;
import io.outboundbridge.task.PhoneGroup;
import io.outboundbridge.task.PhoneGroupCustomer;
import io.outboundbridge.task.PhoneRelation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Valid vendor requests for the sandbox tests; tests change one thing at a time. */
final class Samples {

    private Samples() {
    }

    static CreateTaskRequest create(String name, int customers) {
        LocalDate today = LocalDate.now(CallProcessor.VENDOR_ZONE);
        return new CreateTaskRequest(name, 1, today.toString(), today.plusDays(1).toString(),
                List.of(new ExecTime("09:00:00", "18:00:00")), "sandbox test", "1462016331580064",
                "1070678044124225", false, 0, null, 2, 45, 10,
                List.of(new PhoneGroup("本人", "default", 0, null, null)), customers(0, customers));
    }

    static CreateTaskRequest withCustomers(CreateTaskRequest r, List<Customer> customers) {
        return new CreateTaskRequest(r.taskName(), r.taskType(), r.taskExecStartDate(), r.taskExecEndDate(),
                r.taskExecTimes(), r.taskDesc(), r.skillSetId(), r.outboundNumberGroupId(), r.strategyDisplaySwitch(),
                r.sendNumberStrategy(), r.abandonmentRate(), r.multiplyPower(), r.maxRingingDuration(), r.acw(),
                r.outboundPhoneGroups(), customers);
    }

    static AppendCustomersRequest append(long taskId, int from, int count) {
        return new AppendCustomersRequest(taskId, customers(from, count));
    }

    static List<Customer> customers(int from, int count) {
        List<Customer> list = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            list.add(customer("客户" + i, "ext-" + i, relation(String.format("138%08d", i), "本人")));
        }
        return list;
    }

    static Customer customer(String name, String externalId, PhoneRelation... relations) {
        return new Customer(name, null, externalId, null,
                List.of(new PhoneGroupCustomer("default", List.of(relations))));
    }

    static PhoneRelation relation(String mobile, String relation) {
        return new PhoneRelation(mobile, relation);
    }
}
