package io.outboundbridge.csv;

import io.outboundbridge.task.CustomerRow;

import org.apache.camel.CamelContext;
import org.apache.camel.dataformat.bindy.BindyCsvFactory;
import org.apache.camel.dataformat.bindy.csv.BindyCsvDataFormat;

import java.util.List;
import java.util.Map;

/**
 * Maps one record's fields onto {@link CustomerCsvRecord} through Bindy's {@link BindyCsvFactory}, then onto a
 * {@link CustomerRow}. The factory is the one {@link BindyCsvDataFormat} builds (same format registry, same
 * settings), driven directly per record: the data format's own unmarshal compiles two regexes per line and splits on
 * the separator before unquoting, which is both slow and wrong for quoted line breaks.
 */
final class CustomerRowBinder {

    private static final String MODEL_KEY = CustomerCsvRecord.class.getName();

    private final BindyCsvFactory factory;
    private final CamelContext camelContext;
    private final List<String> columns;

    private CustomerRowBinder(BindyCsvFactory factory, CamelContext camelContext) {
        this.factory = factory;
        this.camelContext = camelContext;
        this.columns = List.of(factory.generateHeader().split(factory.getSeparator(), -1));
    }

    /** A binder using the given context's format registry, or Bindy's default one when {@code camelContext} is null. */
    static CustomerRowBinder create(CamelContext camelContext) {
        BindyCsvDataFormat format = new BindyCsvDataFormat(CustomerCsvRecord.class);
        format.setCamelContext(camelContext);
        try {
            return new CustomerRowBinder((BindyCsvFactory) format.getFactory(), camelContext);
        } catch (Exception e) {
            throw new IllegalStateException("Bindy cannot read the model " + MODEL_KEY, e);
        }
    }

    /** The layout's column names in order, as Bindy writes them in a header. */
    List<String> columns() {
        return columns;
    }

    /** Binds at most {@code columns().size()} tokens; a row with fewer leaves the missing columns null. */
    CustomerRow bind(long line, List<String> tokens) {
        try {
            Map<String, Object> model = factory.factory();
            factory.bind(camelContext, tokens, model, (int) Math.min(line, Integer.MAX_VALUE));
            CustomerCsvRecord r = (CustomerCsvRecord) model.get(MODEL_KEY);
            return new CustomerRow(line, r.getName(), r.getDesc(), r.getExternalCustomerId(), r.getExternalData(),
                    r.getMobile1(), r.getRelation1(), r.getMobile2(), r.getRelation2(), r.getMobile3(), r.getRelation3());
        } catch (Exception e) {
            throw new IllegalStateException("Bindy could not bind line " + line, e);
        }
    }
}
