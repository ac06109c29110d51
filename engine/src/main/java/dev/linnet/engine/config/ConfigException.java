package dev.linnet.engine.config;

/** A config.json that cannot describe a model Linnet can run: the message names the file and the field. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
