"""The organization's module library: reusable JavaScript functions of `input` with JSON
Schemas for their input and output and test cases, edited as a draft (optimistic concurrency
by revision, like scenarios) and published as immutable numbered versions that the `module`
block runs in the sandbox."""
