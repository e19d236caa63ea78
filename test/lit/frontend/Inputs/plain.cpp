// A source file without annotated functions.
double f(double x) { return x + 1; }
