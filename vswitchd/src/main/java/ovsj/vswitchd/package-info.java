/** ovsj vswitchd module. */
package ovsj.vswitchd;
