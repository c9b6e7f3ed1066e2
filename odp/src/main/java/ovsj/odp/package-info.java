/** ovsj odp module. */
package ovsj.odp;
