package io.outboundbridge.csv;

import io.outboundbridge.task.CustomerRow;
import io.outboundbridge.task.Violation;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomerCsvReaderTest {

    private static final String HEADER =
            "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3";
    private static final String EXPECTED_COLUMNS =
            "[name, desc, externalCustomerId, externalData, mobile1, relation1, mobile2, relation2, mobile3, relation3]";
    private static final Charset GBK = Charset.forName("GBK");
    private static final Charset GB18030 = Charset.forName("GB18030");

    @TempDir
    Path dir;

    @Test
    void should_read_a_clean_file() throws Exception {
        Path file = Path.of(getClass().getResource("/csv/clean.csv").toURI());

        List<CsvRecord> records = readAll(file, UTF_8);

        assertThat(records).extracting(CsvRecord::row).containsExactly(
                new CustomerRow(2, "张三", "老客户", "C001", "{\"level\":1}", "13800000001", "本人", "13900000002", "配偶", "13700000003", "子女"),
                new CustomerRow(3, "李四", "", "C002", "", "+86 138-0000-0004", "", "", "", "", ""),
                new CustomerRow(4, "王五", "新客户", "C003", "", "13800000005", "本人", null, null, null, null));
        assertThat(records).extracting(CsvRecord::original).containsExactly(
                "张三,老客户,C001,{\"level\":1},13800000001,本人,13900000002,配偶,13700000003,子女",
                "李四,,C002,,+86 138-0000-0004,,,,,",
                "王五,新客户,C003,,13800000005,本人");
        assertThat(records).allSatisfy(r -> assertThat(r.problems()).isEmpty());
    }

    @Test
    void should_keep_separators_and_doubled_quotes_inside_quoted_fields() throws IOException {
        String line = "\"张三\",\"VIP, 回访\",C1,\"say \"\"hi\"\"\",13800000001,\"\"";
        Path file = write("list.csv", HEADER + "\n" + line + "\n", UTF_8);

        CsvRecord record = readAll(file, UTF_8).get(0);

        assertThat(record.row()).isEqualTo(new CustomerRow(2, "张三", "VIP, 回访", "C1", "say \"hi\"", "13800000001", "", null, null, null, null));
        assertThat(record.original()).isEqualTo(line);
    }

    @Test
    void should_keep_literal_quotes_of_unquoted_fields() throws IOException {
        Path file = write("list.csv", HEADER + "\nab\"c,a\"\"b,C1\n", UTF_8);

        CustomerRow row = readAll(file, UTF_8).get(0).row();

        assertThat(row.name()).isEqualTo("ab\"c");
        assertThat(row.desc()).isEqualTo("a\"\"b");
    }

    @Test
    void should_report_a_record_with_quoted_newlines_at_its_start_line_and_count_them() throws IOException {
        String multiLine = "张三,\"第一行\n第二行\r\n第三行\",C1,,13800000001";
        Path file = write("list.csv", HEADER + "\n" + multiLine + "\n李四,,C2\n", UTF_8);

        List<CsvRecord> records = readAll(file, UTF_8);

        assertThat(records).extracting(r -> r.row().line()).containsExactly(2L, 5L);
        assertThat(records.get(0).row().desc()).isEqualTo("第一行\n第二行\r\n第三行");
        assertThat(records.get(0).original()).isEqualTo(multiLine);
    }

    @Test
    void should_read_crlf_and_cr_line_ends() throws IOException {
        Path crlf = write("crlf.csv", HEADER + "\r\nA,,C1\r\n\r\nB,,C2\r\n", UTF_8);
        Path cr = write("cr.csv", HEADER + "\rA,,C1\r\rB,,C2", UTF_8);

        for (Path file : List.of(crlf, cr)) {
            List<CsvRecord> records = readAll(file, UTF_8);
            assertThat(records).extracting(r -> r.row().line()).containsExactly(2L, 4L);
            assertThat(records).extracting(r -> r.row().externalCustomerId()).containsExactly("C1", "C2");
            assertThat(records).extracting(CsvRecord::original).containsExactly("A,,C1", "B,,C2");
        }
    }

    @Test
    void should_read_gbk_and_gb18030_files() throws IOException {
        Path gbk = write("gbk.csv", HEADER + "\n张三,老客户,C1,,13800000001,本人\n", GBK);
        // U+20000 is outside GBK: four bytes in GB18030 and a surrogate pair in Java
        Path gb18030 = write("gb18030.csv", HEADER + "\n\uD840\uDC00张三,,C1\n", GB18030);

        assertThat(readAll(gbk, GBK).get(0).row().name()).isEqualTo("张三");
        assertThat(readAll(gbk, GBK).get(0).row().relation1()).isEqualTo("本人");
        assertThat(readAll(gb18030, GB18030).get(0).row().name()).isEqualTo("\uD840\uDC00张三");
    }

    @Test
    void should_read_utf8_after_a_bom_whatever_the_charset_setting() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write((HEADER + "\n张三,,C1\n").getBytes(UTF_8));
        Path file = dir.resolve("bom.csv");
        Files.write(file, bytes.toByteArray());

        assertThat(readAll(file, GBK).get(0).row().name()).isEqualTo("张三");
    }

    @Test
    void should_reject_a_wrong_header_naming_expected_and_found_columns() throws IOException {
        Path file = write("list.csv", "name,phone,externalCustomerId\nA,13800000001,C1\n", UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 1: header does not match: expected " + EXPECTED_COLUMNS
                        + " found [name, phone, externalCustomerId]");
    }

    @Test
    void should_reject_a_missing_header_without_showing_phone_numbers() throws IOException {
        Path file = write("list.csv", "张三,,C1,,13800000001,本人\n", UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 1: header does not match: expected " + EXPECTED_COLUMNS
                        + " found [张三, , C1, , <number>, 本人]");
    }

    @Test
    void should_show_invisible_characters_of_a_header_as_escapes() throws IOException {
        Path bom = write("bom.csv", HEADER.replace(",desc,", ",\uFEFFdesc,") + "\nA,,C1\n", UTF_8);
        Path spaces = write("spaces.csv", HEADER.replace("mobile1", "mobile\u200B1").replace("name,", "name\u00A0,")
                + "\nA,,C1\n", UTF_8);

        assertThatThrownBy(() -> readAll(bom, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("bom.csv line 1: header does not match: expected " + EXPECTED_COLUMNS
                        + " found [name, \\uFEFFdesc, externalCustomerId, externalData, mobile1, relation1, mobile2,"
                        + " relation2, mobile3, relation3] (invisible characters shown as \\uXXXX)");
        assertThatThrownBy(() -> readAll(spaces, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("spaces.csv line 1: header does not match: expected " + EXPECTED_COLUMNS
                        + " found [name\\u00A0, desc, externalCustomerId, externalData, mobile\\u200B1, relation1,"
                        + " mobile2, relation2, mobile3, relation3] (invisible characters shown as \\uXXXX)");
    }

    @Test
    void should_show_a_second_bom_before_the_header_as_an_escape() throws IOException {
        // the first BOM is the file's own and means UTF-8; a second one (a file saved twice) sticks to "name"
        Path file = write("list.csv", "\uFEFF\uFEFF" + HEADER + "\nA,,C1\n", UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessageContaining("found [\\uFEFFname, desc,")
                .hasMessageEndingWith("(invisible characters shown as \\uXXXX)");
    }

    @Test
    void should_keep_visible_characters_of_a_wrong_header_as_they_are() {
        assertThat(CustomerCsvReader.escapeInvisible("名字 \uD840\uDC00 a\"b")).isEqualTo("名字 \uD840\uDC00 a\"b");
        assertThat(CustomerCsvReader.escapeInvisible("\u3000x\t\uD800")).isEqualTo("\\u3000x\\u0009\\uD800");
    }

    @Test
    void should_name_utf16_text_with_or_without_a_byte_order_mark() throws IOException {
        String text = HEADER + "\r\n张三,一,C1,,13800000001,本人\r\n";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("UTF-16LE (byte order mark FF FE)", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(UTF_16LE)));
        files.put("UTF-16BE (byte order mark FE FF)", concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, text.getBytes(UTF_16BE)));
        files.put("UTF-16LE (no byte order mark)", text.getBytes(UTF_16LE));
        files.put("UTF-16BE (no byte order mark)", text.getBytes(UTF_16BE));

        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path file = dir.resolve("list.csv");
            Files.write(file, e.getValue());
            for (Charset charset : List.of(UTF_8, GBK)) {
                assertThatThrownBy(() -> readAll(file, charset))
                        .as(e.getKey() + " read as " + charset)
                        .isInstanceOf(CsvFileException.class)
                        .hasMessage("list.csv: " + e.getKey() + " text, not " + charset.name() + ": save it as "
                                + charset.name());
            }
        }
    }

    @Test
    void should_name_utf16_text_of_chinese_columns_by_its_byte_order_mark() throws IOException {
        // no ASCII at all, so no NUL byte: only the byte order mark tells
        Path file = dir.resolve("list.csv");
        Files.write(file, concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "姓名,描述\n张三,老客户\n".getBytes(UTF_16LE)));

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv: UTF-16LE (byte order mark FF FE) text, not UTF-8: save it as UTF-8");
    }

    @Test
    void should_not_take_utf32_or_binary_with_nuls_for_utf16() throws IOException {
        Path utf32 = dir.resolve("utf32.csv");
        Files.write(utf32, concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, "name\n".getBytes(Charset.forName("UTF-32LE"))));

        assertThatThrownBy(() -> readAll(utf32, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("utf32.csv line 1: not a text file in UTF-8 (undecodable bytes / NUL)");
    }

    @Test
    void should_mask_numbers_written_with_spaces_dashes_or_full_width_digits_in_a_wrong_header() throws IOException {
        Path file = write("list.csv", "张三,,C1,,+86 138-0000-0001,本人,139\u00A00000\u00A00002,,１３８００００００03\n", UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 1: header does not match: expected " + EXPECTED_COLUMNS
                        + " found [张三, , C1, , +<number>, 本人, <number>, , <number>]");
    }

    @Test
    void should_accept_a_header_with_spaces_quotes_and_empty_trailing_columns() throws IOException {
        String header = HEADER.replace(",desc,", ", desc ,").replace("externalCustomerId", "\"externalCustomerId\"");
        Path file = write("list.csv", header + ",,\nA,,C1\n", UTF_8);

        assertThat(readAll(file, UTF_8)).hasSize(1);
    }

    @Test
    void should_report_no_data_rows_for_an_empty_file_a_header_only_and_blank_lines_only() throws IOException {
        Path empty = write("empty.csv", "", UTF_8);
        Path headerOnly = write("header.csv", HEADER + "\r\n", UTF_8);
        Path blanks = write("blanks.csv", HEADER + "\n\n  \n", UTF_8);

        for (Path file : List.of(empty, headerOnly, blanks)) {
            assertThatThrownBy(() -> readAll(file, UTF_8))
                    .isInstanceOf(CsvFileException.class)
                    .hasMessage(file.getFileName() + ": no data rows");
        }
    }

    @Test
    void should_reject_binary_junk() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, '\r', 'I', 'H', 'D', 'R'};
        Path file = dir.resolve("list.csv");
        Files.write(file, png);

        for (Charset charset : List.of(UTF_8, GBK)) {
            assertThatThrownBy(() -> readAll(file, charset))
                    .isInstanceOf(CsvFileException.class)
                    .hasMessage("list.csv line 3: not a text file in " + charset.name() + " (undecodable bytes / NUL)");
        }
    }

    @Test
    void should_report_undecodable_bytes_at_their_line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((HEADER + "\n").getBytes(UTF_8));
        for (int i = 0; i < 5; i++) {
            bytes.write(("客户" + i + ",,C" + i + "\n").getBytes(UTF_8));
        }
        bytes.write(new byte[] {'X', (byte) 0xFF, (byte) 0xFE, '\n'});
        Path file = dir.resolve("list.csv");
        Files.write(file, bytes.toByteArray());

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 7: not a text file in UTF-8 (undecodable bytes / NUL)");
        // the UTF-8 Chinese text above happens to decode in GBK too; a 0xFF byte decodes in neither
        assertThatThrownBy(() -> readAll(file, GBK))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 7: not a text file in GBK (undecodable bytes / NUL)");
    }

    @Test
    void should_report_a_nul_far_into_the_file_at_its_line() throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 1000; i++) {
            text.append("A,,C").append(i).append('\n');
        }
        text.append("B\0,,C\n");
        Path file = write("list.csv", text.toString(), UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 1002: not a text file in UTF-8 (undecodable bytes / NUL)");
    }

    @Test
    void should_tell_left_out_trailing_columns_from_empty_ones() throws IOException {
        Path file = write("list.csv", HEADER + "\nA,,C1,,13800000001\nB,,C2,,13800000002,,,,,\n", UTF_8);

        List<CsvRecord> records = readAll(file, UTF_8);

        assertThat(records.get(0).row()).isEqualTo(new CustomerRow(2, "A", "", "C1", "", "13800000001", null, null, null, null, null));
        assertThat(records.get(1).row()).isEqualTo(new CustomerRow(3, "B", "", "C2", "", "13800000002", "", "", "", "", ""));
    }

    @Test
    void should_flag_a_row_with_too_many_columns_and_tolerate_empty_extra_ones() throws IOException {
        Path file = write("list.csv", HEADER + "\nA,,C1,,1,,2,,3,,x,y\nB,,C2,,1,,2,,3,r3,,\n", UTF_8);

        List<CsvRecord> records = readAll(file, UTF_8);

        assertThat(records.get(0).problems()).containsExactly(new Violation("row", "12 columns, the layout has 10"));
        assertThat(records.get(0).row().relation3()).isEmpty();
        assertThat(records.get(0).original()).isEqualTo("A,,C1,,1,,2,,3,,x,y");
        assertThat(records.get(1).problems()).isEmpty();
        assertThat(records.get(1).row().relation3()).isEqualTo("r3");
    }

    @Test
    void should_flag_text_after_a_closing_quote() throws IOException {
        Path file = write("list.csv", HEADER + "\nA,\"x\"y,C1\n", UTF_8);

        assertThat(readAll(file, UTF_8).get(0).problems()).containsExactly(new Violation("desc", "text after the closing quote"));
    }

    @Test
    void should_skip_blank_lines_and_count_them() throws IOException {
        Path file = write("list.csv", HEADER + "\n\nA,,C1\n   \n\nB,,C2\n\n", UTF_8);

        CustomerCsvReader reader = CustomerCsvReader.open(file, UTF_8);
        List<Long> lines = new ArrayList<>();
        while (reader.hasNext()) {
            lines.add(reader.next().row().line());
        }
        reader.close();

        assertThat(lines).containsExactly(3L, 6L);
        assertThat(reader.dataRows()).isEqualTo(2);
        assertThatThrownBy(reader::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void should_reject_an_unterminated_quoted_field() throws IOException {
        Path file = write("list.csv", HEADER + "\nA,,C1\nB,\"open,C2\nC,,C3\n", UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessage("list.csv line 3: unterminated quoted field starting at line 3");
    }

    @Test
    void should_stop_an_unterminated_quote_before_it_holds_the_whole_file_in_memory() throws IOException {
        Path file = write("list.csv", HEADER + "\nA,,C1\nB,\"open,C2\n" + "C,,C3\n".repeat(200_000), UTF_8);

        assertThatThrownBy(() -> readAll(file, UTF_8))
                .isInstanceOf(CsvFileException.class)
                .hasMessageStartingWith("list.csv line 3: unterminated quoted field starting at line 3 (no closing quote within");
    }

    @Test
    void should_read_from_a_stream_and_bind_with_a_camel_context() throws IOException {
        byte[] content = (HEADER + "\nA,,C1\n").getBytes(UTF_8);
        Path file = write("list.csv", HEADER + "\nB,,C2\n", UTF_8);

        try (CustomerCsvReader fromStream = CustomerCsvReader.open(new ByteArrayInputStream(content), "drop.csv", UTF_8);
             DefaultCamelContext context = new DefaultCamelContext();
             CustomerCsvReader withContext = CustomerCsvReader.open(file, UTF_8, context)) {
            assertThat(fromStream.next().row().name()).isEqualTo("A");
            assertThat(withContext.next().row().name()).isEqualTo("B");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Path write(String name, String content, Charset charset) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content.getBytes(charset));
        return file;
    }

    @Test
    void should_build_a_record_text_only_while_the_record_is_current() throws IOException {
        Path file = write("list.csv", HEADER + "\nA,,C1\nB,,C2\n", UTF_8);

        try (CustomerCsvReader reader = CustomerCsvReader.open(file, UTF_8)) {
            CsvRecord first = reader.next();
            CsvRecord second = reader.next();

            assertThat(second.original()).isEqualTo("B,,C2");
            assertThat(second.original()).isEqualTo("B,,C2");
            assertThatThrownBy(first::original).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the text of the record at line 2 was not asked for before the reader moved on to the record at line 3");
        }
    }

    private static List<CsvRecord> readAll(Path file, Charset charset) throws IOException {
        List<CsvRecord> records = new ArrayList<>();
        try (CustomerCsvReader reader = CustomerCsvReader.open(file, charset)) {
            // a record's text is kept once asked for while it is the reader's current record
            reader.forEachRemaining(r -> {
                r.original();
                records.add(r);
            });
            assertThat(reader.dataRows()).isEqualTo(records.size());
        }
        return records;
    }
}
