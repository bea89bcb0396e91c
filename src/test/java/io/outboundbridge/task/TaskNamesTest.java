package io.outboundbridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskNamesTest {

    private static int length(String s) {
        return VendorRules.length(s);
    }

    @Test
    void should_fill_the_template() {
        assertThat(TaskNames.fromTemplate("${profile}-${fileBase}", "default", "list-0927"))
                .isEqualTo("default-list-0927");
        assertThat(TaskNames.fromTemplate("催收-${fileBase}-${fileBase}", "p", "$1")).isEqualTo("催收-$1-$1");
    }

    @Test
    void should_strip_the_extension_from_the_file_name() {
        assertThat(TaskNames.fileBase("list.csv")).isEqualTo("list");
        assertThat(TaskNames.fileBase("list.2024.csv")).isEqualTo("list.2024");
        assertThat(TaskNames.fileBase("list")).isEqualTo("list");
    }

    @Test
    void should_keep_a_name_of_50_characters() {
        String name = "名".repeat(50);
        assertThat(TaskNames.fit(name)).isEqualTo(name);
    }

    @Test
    void should_shorten_a_name_of_51_characters_with_a_hash() {
        String name = "名".repeat(51);

        String fitted = TaskNames.fit(name);

        assertThat(length(fitted)).isEqualTo(50);
        assertThat(fitted).startsWith("名".repeat(43)).matches(".*~[0-9a-f]{6}");
        assertThat(TaskNames.fit(name)).isEqualTo(fitted);
    }

    @Test
    void should_keep_long_names_with_the_same_beginning_distinct() {
        String common = "x".repeat(60);
        assertThat(TaskNames.fit(common + "a")).isNotEqualTo(TaskNames.fit(common + "b"));
    }

    @Test
    void should_not_split_a_surrogate_pair() {
        String fitted = TaskNames.fit("𠀀".repeat(60));

        assertThat(length(fitted)).isEqualTo(50);
        assertThat(fitted).startsWith("𠀀".repeat(43) + "~");
    }

    @Test
    void should_append_a_suffix_and_never_cut_it() {
        assertThat(TaskNames.suffixed("list", "-2")).isEqualTo("list-2");
        String base = "b".repeat(49);

        String suffixed = TaskNames.suffixed(base, "-2");

        assertThat(length(suffixed)).isEqualTo(50);
        assertThat(suffixed).startsWith("b".repeat(41) + "~").endsWith("-2");
    }

    @Test
    void should_refuse_a_suffix_that_leaves_no_room_to_shorten_the_base() {
        assertThat(TaskNames.suffixed("base", "s".repeat(46))).hasSize(50);
        assertThatThrownBy(() -> TaskNames.suffixed("b".repeat(10), "s".repeat(44)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_name_continuations_within_50_characters() {
        String base = "c".repeat(50);

        assertThat(TaskNames.continuation("list", 2)).isEqualTo("list-2");
        assertThat(TaskNames.continuation(base, 2)).hasSize(50).endsWith("-2");
        assertThat(TaskNames.continuation(base, 10)).hasSize(50).endsWith("-10");
        assertThat(TaskNames.continuation(base, 2)).isNotEqualTo(TaskNames.continuation(base, 3));
        assertThatThrownBy(() -> TaskNames.continuation(base, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
