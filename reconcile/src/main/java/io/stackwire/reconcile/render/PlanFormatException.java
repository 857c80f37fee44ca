package io.stackwire.reconcile.render;

/** A saved plan file that this version of stackwire cannot read; the message says why and what to do. */
public class PlanFormatException extends Exception {

    public PlanFormatException(String message) {
        super(message);
    }

    public PlanFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
