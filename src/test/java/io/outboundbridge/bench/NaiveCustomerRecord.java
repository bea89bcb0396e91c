package io.outboundbridge.bench;

import org.apache.camel.dataformat.bindy.annotation.CsvRecord;
import org.apache.camel.dataformat.bindy.annotation.DataField;

/**
 * The naive baseline's Bindy model of the customer-list layout: what a first Camel integration would write
 * (kept in the bench package so the baseline does not move when {@code csv} is optimised).
 */
@CsvRecord(separator = ",", quote = "\"", skipFirstLine = true)
public class NaiveCustomerRecord {

    @DataField(pos = 1)
    private String name;
    @DataField(pos = 2)
    private String desc;
    @DataField(pos = 3)
    private String externalCustomerId;
    @DataField(pos = 4)
    private String externalData;
    @DataField(pos = 5)
    private String mobile1;
    @DataField(pos = 6)
    private String relation1;
    @DataField(pos = 7)
    private String mobile2;
    @DataField(pos = 8)
    private String relation2;
    @DataField(pos = 9)
    private String mobile3;
    @DataField(pos = 10)
    private String relation3;

    public String getName() {
        return name;
    }

    public String getDesc() {
        return desc;
    }

    public String getExternalCustomerId() {
        return externalCustomerId;
    }

    public String getExternalData() {
        return externalData;
    }

    public String getMobile1() {
        return mobile1;
    }

    public String getRelation1() {
        return relation1;
    }

    public String getMobile2() {
        return mobile2;
    }

    public String getRelation2() {
        return relation2;
    }

    public String getMobile3() {
        return mobile3;
    }

    public String getRelation3() {
        return relation3;
    }
}
