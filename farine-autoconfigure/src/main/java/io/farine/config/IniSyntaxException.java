package io.farine.config;

/**
 * Thrown when a farine INI file is not valid, carrying the file and the line so the message
 * (and Spring Boot's start-up failure report) points straight at what to fix.
 */
public class IniSyntaxException extends RuntimeException {

	private final String file;

	private final int line;

	private final String reason;

	/**
	 * Creates an exception for one line of a file.
	 * @param file the file name as given to the reader
	 * @param line the 1-based line number
	 * @param reason what is wrong with the line
	 */
	public IniSyntaxException(String file, int line, String reason) {
		super(file + ":" + line + ": " + reason);
		this.file = file;
		this.line = line;
		this.reason = reason;
	}

	/**
	 * The file that holds the error.
	 * @return the file name
	 */
	public String getFile() {
		return this.file;
	}

	/**
	 * The line that holds the error.
	 * @return the 1-based line number
	 */
	public int getLine() {
		return this.line;
	}

	/**
	 * What is wrong, without the location.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
