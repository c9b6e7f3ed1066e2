/** ovsj cli module. */
package ovsj.cli;
