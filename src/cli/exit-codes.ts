/** Exit codes, as Terraform users expect them. */
export const EXIT_OK = 0;
/** Bad input, Graph failure, or refused by a guard. */
export const EXIT_ERROR = 1;
/** With --detailed-exitcode: changes pending (plan) or drift found (drift). */
export const EXIT_CHANGES = 2;
