/** ovsj datapath module. */
package ovsj.datapath;
