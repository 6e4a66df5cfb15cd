"""SPARQL over the store: what a caller's query may do (decided on its parse tree), the engine kept off the network
while it runs, the datasets and syntaxes it reads and writes, and its results as plain values or capped bytes."""
