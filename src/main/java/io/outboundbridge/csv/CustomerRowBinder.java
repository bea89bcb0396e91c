package io.outboundbridge.csv;

import io.outboundbridge.task.CustomerRow;

import org.apache.camel.CamelContext;
import org.apache.camel.dataformat.bindy.BindyAbstractFactory;
import org.apache.camel.dataformat.bindy.BindyCsvFactory;
import org.apache.camel.dataformat.bindy.Format;
import org.apache.camel.dataformat.bindy.FormatFactory;
import org.apache.camel.dataformat.bindy.annotation.BindyConverter;
import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.csv.BindyCsvDataFormat;
import org.apache.camel.dataformat.bindy.util.ConverterUtils;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps one record's fields onto a {@link CustomerRow} through Bindy: the layout is the Bindy model
 * {@link CustomerCsvRecord}, read by the {@link BindyCsvFactory} that {@link BindyCsvDataFormat} builds (same format
 * registry, same settings). The data format's own unmarshal compiles two regexes per line and splits on the
 * separator before unquoting, which is both slow and wrong for quoted line breaks, so records are bound one by one.
 *
 * <p>Two ways to bind, both Bindy's. {@code BindyCsvFactory.bind} works out per field and per row what never changes
 * (makes a field accessible, builds formatting options, looks its {@code Format} up in the registry, creates the
 * model object through a map); that costs more than everything else the reader does. So, once, this binder reads
 * Bindy's model the way the factory does (its {@code @DataField}s by position) and asks Bindy's own format factory
 * for each position's {@link Format}. When the model needs nothing per row but that format (String fields, no trim,
 * required, default value, method or escaped quoting), each row is bound with those formats and the factory's rules:
 * an empty field is Bindy's empty-String default, doubled quotes are undone (RFC 4180 section 2.7), a column left
 * out stays null. A model that asks for more is bound by {@code BindyCsvFactory.bind} row by row, as before.
 */
final class CustomerRowBinder {

    private static final String MODEL_KEY = CustomerCsvRecord.class.getName();
    /** The model's field names in {@link CustomerRow}'s order (after {@code line}). */
    private static final List<String> ROW_FIELDS = List.of("name", "desc", "externalCustomerId", "externalData",
            "mobile1", "relation1", "mobile2", "relation2", "mobile3", "relation3");
    private static final String QUOTE = "\"";
    private static final String DOUBLED_QUOTE = "\"\"";

    private final BindyCsvFactory factory;
    private final CamelContext camelContext;
    private final List<String> columns;
    /** Per position (index = pos - 1): Bindy's format for the field; null when rows go through the factory. */
    private final Format<?>[] formats;
    /** Per position: where the field goes in {@link CustomerRow}'s text fields. */
    private final int[] rowField;
    /** What Bindy gives an empty String field: "" or, with {@code defaultValueStringAsNull}, null. */
    private final String emptyValue;

    private CustomerRowBinder(BindyCsvFactory factory, CamelContext camelContext, FormatFactory formatFactory)
            throws Exception {
        this.factory = factory;
        this.camelContext = camelContext;
        this.columns = List.of(factory.generateHeader().split(factory.getSeparator(), -1));
        this.emptyValue = factory.isDefaultValueStringAsNull() ? null : "";
        Format<?>[] resolved = new Format<?>[columns.size()];
        int[] target = new int[columns.size()];
        this.formats = plan(factory, formatFactory, resolved, target) ? resolved : null;
        this.rowField = target;
    }

    /** A binder using the given context's format registry, or Bindy's default one when {@code camelContext} is null. */
    static CustomerRowBinder create(CamelContext camelContext) {
        FormatKeepingDataFormat format = new FormatKeepingDataFormat();
        format.setCamelContext(camelContext);
        try {
            BindyCsvFactory factory = (BindyCsvFactory) format.getFactory();
            return new CustomerRowBinder(factory, camelContext, format.formatFactory);
        } catch (Exception e) {
            throw new IllegalStateException("Bindy cannot read the model " + MODEL_KEY, e);
        }
    }

    /** The layout's column names in order, as Bindy writes them in a header. */
    List<String> columns() {
        return columns;
    }

    /** Whether rows are bound with the formats resolved once (false: by {@code BindyCsvFactory.bind}). */
    boolean planned() {
        return formats != null;
    }

    /** Binds at most {@code columns().size()} tokens; a row with fewer leaves the missing columns null. */
    CustomerRow bind(long line, List<String> tokens) {
        try {
            String[] v = formats != null && tokens.size() <= formats.length ? bindPlanned(tokens) : bindByFactory(line, tokens);
            return new CustomerRow(line, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        } catch (Exception e) {
            throw new IllegalStateException("Bindy could not bind line " + line, e);
        }
    }

    /** Binds through {@code BindyCsvFactory.bind} whatever the plan: the reference the planned binding must equal. */
    CustomerRow bindWithFactory(long line, List<String> tokens) {
        try {
            String[] v = bindByFactory(line, tokens);
            return new CustomerRow(line, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        } catch (Exception e) {
            throw new IllegalStateException("Bindy could not bind line " + line, e);
        }
    }

    /** What {@code BindyCsvFactory.bind} does for this model, without working it out again for every field. */
    private String[] bindPlanned(List<String> tokens) throws Exception {
        String[] v = new String[ROW_FIELDS.size()];
        for (int k = 0; k < tokens.size(); k++) {
            String data = tokens.get(k);
            Object value;
            if (data.isEmpty()) {
                value = emptyValue;
            } else {
                if (data.contains(DOUBLED_QUOTE)) {
                    data = data.replace(DOUBLED_QUOTE, QUOTE);
                }
                value = formats[k].parse(data);
            }
            v[rowField[k]] = (String) value;
        }
        return v;
    }

    private String[] bindByFactory(long line, List<String> tokens) throws Exception {
        Map<String, Object> model = factory.factory();
        factory.bind(camelContext, tokens, model, (int) Math.min(line, Integer.MAX_VALUE));
        CustomerCsvRecord r = (CustomerCsvRecord) model.get(MODEL_KEY);
        return new String[] {r.getName(), r.getDesc(), r.getExternalCustomerId(), r.getExternalData(), r.getMobile1(),
            r.getRelation1(), r.getMobile2(), r.getRelation2(), r.getMobile3(), r.getRelation3()};
    }

    /**
     * Reads the model as {@code BindyCsvFactory.initAnnotatedFields} does and resolves each position's format as
     * {@code BindyCsvFactory.bind} does; false when some field needs more per row than its format.
     */
    private static boolean plan(BindyCsvFactory factory, FormatFactory formatFactory, Format<?>[] formats, int[] target)
            throws Exception {
        org.apache.camel.dataformat.bindy.annotation.CsvRecord record =
                CustomerCsvRecord.class.getAnnotation(org.apache.camel.dataformat.bindy.annotation.CsvRecord.class);
        if (formatFactory == null || record == null || record.quotingEscaped() || !QUOTE.equals(factory.getQuote())
                || factory.isSkipField()) {
            return false;
        }
        Map<Integer, Field> byPos = new TreeMap<>();
        for (Field field : CustomerCsvRecord.class.getDeclaredFields()) {
            if (field.getAnnotation(DataField.class) != null) {
                byPos.put(field.getAnnotation(DataField.class).pos(), field);
            }
        }
        if (byPos.size() != formats.length) {
            return false;
        }
        int k = 0;
        for (Map.Entry<Integer, Field> e : byPos.entrySet()) {
            Field field = e.getValue();
            DataField dataField = field.getAnnotation(DataField.class);
            int slot = ROW_FIELDS.indexOf(field.getName());
            if (e.getKey() != k + 1 || slot < 0 || field.getType() != String.class || dataField.trim()
                    || dataField.required() || !dataField.defaultValue().isEmpty() || !dataField.method().isEmpty()) {
                return false;
            }
            formats[k] = formatFactory.getFormat(ConverterUtils.convert(dataField, field.getType(),
                    field.getAnnotation(BindyConverter.class), factory.getLocale()));
            target[k] = slot;
            k++;
        }
        return true;
    }

    /** Bindy's CSV data format, keeping the format factory (with the context's registry) it gives its model factory. */
    private static final class FormatKeepingDataFormat extends BindyCsvDataFormat {
        private FormatFactory formatFactory;

        FormatKeepingDataFormat() {
            super(CustomerCsvRecord.class);
        }

        @Override
        protected BindyAbstractFactory createModelFactory(FormatFactory formatFactory) throws Exception {
            this.formatFactory = formatFactory;
            return super.createModelFactory(formatFactory);
        }
    }
}
