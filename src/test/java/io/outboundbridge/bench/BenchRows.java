package io.outboundbridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes customer lists shaped like real ones, fast (about 1,000,000 rows/s): Chinese names, Chinese
 * descriptions (some quoted with a comma inside), CRM-style ids, JSON-ish external data with doubled quotes,
 * mainland mobiles (a few typed as {@code +86 138-0000-0001} or with spaces), a second number on half of the
 * rows and a third on a sixth, and short rows that leave the empty trailing columns out.
 *
 * <p>Every row is valid and every id unique within a file, so the service and the naive baseline (which does not
 * validate) send the same customers. {@code tag} goes into every id, so two files with different tags never have
 * the same content (the service sends a content only once).
 */
public final class BenchRows {

    static final String HEADER =
            "name,desc,externalCustomerId,externalData,mobile1,relation1,mobile2,relation2,mobile3,relation3\r\n";

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
        "马", "朱", "胡", "郭", "何", "高", "林", "罗", "欧阳", "司马"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
        "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "子涵", "浩然", "欣怡", "宇轩"};
    private static final String[] DESCS = {
        "普通客户，上月账单已结清，近期无投诉记录，可介绍本季度新推出的家庭宽带套餐及老用户续约优惠",
        "\"VIP, 季度回访: 确认服务满意度, 介绍积分兑换与专属客服权益, 确认地址与联系方式是否变更\"",
        "近三个月有购买记录，需回访确认满意度并介绍新品，客户偏好下午接听，勿在午休时间拨打",
        "意向客户，暂无备注，首次外呼请先确认客户是否方便接听",
        "信用卡分期到期提醒，请核实还款意向并告知提前还款的手续费政策，如有困难可转人工协商",
        "\"老客户, 上次通话未接通, 请下午再拨; 如仍未接通请发送短信提醒并在三日后再次尝试\"",
        "新开户客户欢迎回访（开户网点：浦东支行），说明账户安全设置、手机银行开通与转账限额，并邀请参加理财讲座",
        "双十一活动意向客户，已领取优惠券未使用，提醒有效期并推荐爆款商品，告知包邮门槛与退换货政策",
    };
    private static final String[] RELATIONS = {"配偶", "父亲", "母亲", "同事", "朋友", "子女"};
    private static final int[] MOBILE_PREFIXES = {138, 139, 150, 151, 158, 186, 187, 135, 136, 177, 188, 199};

    private BenchRows() {
    }

    /** Writes {@code rows} data rows (plus the header) to {@code file}; returns the file's size in bytes. */
    public static long write(Path file, int rows, String tag) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(256);
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                row(sb, i, tag);
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return Files.size(file);
    }

    /** Data rows of a generated list (its lines less the header: generated rows hold no line breaks). */
    public static long count(Path file) throws IOException {
        long lines = 0;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0;) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines - 1;
    }

    /** Row {@code i}, with its line end. */
    static void row(StringBuilder sb, int i, String tag) {
        int h = mix(i);
        sb.append(SURNAMES[Math.floorMod(h, SURNAMES.length)]).append(GIVEN[Math.floorMod(h >>> 8, GIVEN.length)]);
        if ((h & 0x30000) == 0) {
            sb.append(GIVEN[Math.floorMod(h >>> 20, GIVEN.length)]);
        }
        sb.append(',').append(DESCS[i % DESCS.length]);
        sb.append(",CRM-2024-SH-").append(tag).append('-');
        pad(sb, i, 10);
        sb.append(',');
        switch (i % 4) {
            case 0 -> sb.append("\"{\"\"level\"\":").append(h & 7).append(",\"\"src\"\":\"\"app-campaign\"\"}\"");
            case 1 -> sb.append("order-20241111-").append(Math.floorMod(h, 1_000_000));
            case 2 -> sb.append("渠道:线下门店/华东大区/上海浦东店");
            default -> sb.append("campaign=1111;batch=07;seg=A");
        }
        sb.append(',');
        mobile(sb, i, 0, i % 50 == 0 ? 2 : i % 25 == 0 ? 1 : 0);
        sb.append(',').append(i % 5 == 0 ? "" : "本人");
        if (i % 2 == 0) {
            sb.append(',');
            mobile(sb, i, 1, 0);
            sb.append(',').append(RELATIONS[Math.floorMod(h >>> 4, RELATIONS.length)]);
            if (i % 6 == 0) {
                sb.append(',');
                mobile(sb, i, 2, 0);
                sb.append(',').append(RELATIONS[Math.floorMod(h >>> 12, RELATIONS.length)]);
            } else {
                sb.append(",,");
            }
        } else if (i % 3 == 0) {
            sb.append(",,,,");
        }
        sb.append("\r\n");
    }

    /** A mainland mobile: {@code style} 0 digits only, 1 with spaces, 2 as {@code +86 138-0000-0001}. */
    private static void mobile(StringBuilder sb, int i, int which, int style) {
        int prefix = MOBILE_PREFIXES[Math.floorMod(mix(i * 3 + which), MOBILE_PREFIXES.length)];
        int rest = Math.floorMod(i * 7919 + which * 104_729 + 12_345_678, 100_000_000);
        int mid = rest / 10_000;
        int end = rest % 10_000;
        if (style == 2) {
            sb.append("+86 ").append(prefix).append('-');
            pad(sb, mid, 4);
            sb.append('-');
            pad(sb, end, 4);
        } else if (style == 1) {
            sb.append(prefix).append(' ');
            pad(sb, mid, 4);
            sb.append(' ');
            pad(sb, end, 4);
        } else {
            sb.append(prefix);
            pad(sb, rest, 8);
        }
    }

    private static void pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int k = s.length(); k < width; k++) {
            sb.append('0');
        }
        sb.append(s);
    }

    private static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }
}
