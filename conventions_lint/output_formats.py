"""The names of the output formats: the command line needs them before anything heavy is loaded."""

OUTPUT_FORMATS = ("concise", "full", "json", "json-lines", "grouped", "github", "gitlab", "junit", "sarif")
