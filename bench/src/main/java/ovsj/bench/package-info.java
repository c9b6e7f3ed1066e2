/** ovsj bench module. */
package ovsj.bench;
