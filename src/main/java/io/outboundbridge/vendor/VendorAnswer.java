package io.outboundbridge.vendor;

/**
 * The vendor's answer to one call: its {@code CommunicateBaseVo} envelope, or what stood in its place.
 *
 * @param httpStatus HTTP status of the answer
 * @param code       the vendor's result code, null when the body was not the JSON envelope
 * @param message    the vendor's message, or a description of the non-JSON answer; phone numbers in it masked
 * @param data       the {@code data} field as text (the new task id for a create), null when absent
 */
public record VendorAnswer(int httpStatus, String code, String message, String data) {

    /** The task id a create returned, or null. */
    public Long taskId() {
        if (data == null) {
            return null;
        }
        try {
            return Long.valueOf(data);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Code and message as one line for logs and reports. */
    public String describe() {
        return (code == null ? "HTTP " + httpStatus : code) + " " + (message == null ? "" : message);
    }
}
